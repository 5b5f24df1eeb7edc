/** Asked for a mode this installation cannot serve (e.g. no vectors computed yet). */
export class SearchModeUnavailable extends Error {}
