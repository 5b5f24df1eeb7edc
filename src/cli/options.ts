/** Parsers for command-line option values; a bad value becomes commander's clear "invalid argument" error. */
import { InvalidArgumentError } from 'commander';
import { isValidDay } from '../rank/periods.js';

export function parseDay(value: string): string {
  if (!isValidDay(value)) throw new InvalidArgumentError('expected a date as YYYY-MM-DD.');
  return value;
}

export function integerBetween(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max)
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    return n;
  };
}
