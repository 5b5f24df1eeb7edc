import { sql, type RawBuilder } from 'kysely';

/** The PostgreSQL type of a column's values, which its array parameter is cast to. */
export type ColumnType = 'text' | 'integer' | 'double precision';

/** Every column of a row with its type, in the order the SELECT yields them. */
export type ColumnTypes<Row> = { [K in keyof Row & string]: ColumnType };

/**
 * Rows as `SELECT * FROM unnest($1::text[], $2::integer[], …)`, one array parameter per column: PostgreSQL
 * parses and plans a statement of a thousand rows as one of a single row, where a multi-row VALUES list is
 * parsed and bound value by value (22,000 parameters for a thousand papers). For INSERT … SELECT.
 */
export function unnestedRows<Row extends object>(rows: readonly Row[], types: ColumnTypes<Row>): RawBuilder<unknown> {
  const arrays = (Object.entries(types) as [string, ColumnType][]).map(([column, type]) => {
    const values = rows.map((row) => (row as Record<string, unknown>)[column] ?? null);
    return sql`${values}::${sql.raw(type)}[]`;
  });
  return sql`SELECT * FROM unnest(${sql.join(arrays)})`;
}
