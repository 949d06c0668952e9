/**
 * A yes/no is stored as 0 or 1 on both engines (the field rules' `bool`: an integer column checked
 * to hold 0 or 1), so a file copied between engines holds the same values and dumps the same.
 * better-sqlite3 refuses a JavaScript boolean and PostgreSQL refuses true for an integer column:
 * each engine's connection turns the booleans among a query's parameters into numbers here, where
 * the values are. (A Kysely plugin would walk and copy every query's tree before it is compiled: a
 * tenth of what a typed cell allocated.) No query writes a boolean into its text (sql.lit); on
 * SQLite one would be TRUE or FALSE, which are 1 and 0 there.
 */

/** The parameters with each boolean as 1 or 0 (the same array when there is none). */
export function numericBooleans<T>(parameters: readonly T[]): readonly (T | number)[] {
  for (const p of parameters) if (typeof p === 'boolean') return parameters.map((v) => (typeof v === 'boolean' ? Number(v) : v));
  return parameters;
}
