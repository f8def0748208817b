/**
 * What every TFB implementation and script shares: the database URL, the 12 standard
 * fortunes, the request-time fortune, the `queries` parameter rule and random ids.
 * @module
 */

/** The database URL; `TFB_DATABASE_URL` overrides it. */
export const DATABASE_URL =
  process.env.TFB_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/hello_world"

/** Rows in the World table. */
export const WORLD_ROWS = 10_000

/** The 12 standard TFB fortunes, by id. */
export const FORTUNES: readonly (readonly [number, string])[] = [
  [1, "fortune: No such file or directory"],
  [2, "A computer scientist is someone who fixes things that aren't broken."],
  [3, "After enough decimal places, nobody gives a damn."],
  [4, "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1"],
  [5, "A computer program does what you tell it to do, not what you want it to do."],
  [6, "Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen"],
  [7, "Any program that runs right is obsolete."],
  [8, "A list is only as strong as its weakest link. — Donald Knuth"],
  [9, "Feature: A bug with seniority."],
  [10, "Computers make very fast, very accurate mistakes."],
  [11, '<script>alert("This should not be displayed in a browser alert box.");</script>'],
  [12, "フレームワークのベンチマーク"],
]

/** The fortune every implementation adds at request time, with id 0. */
export const EXTRA_FORTUNE = "Additional fortune added at request time."

/** A random World id or randomNumber, 1..10000. */
export function randomWorld(): number {
  return 1 + Math.floor(Math.random() * WORLD_ROWS)
}

/** The TFB `queries` rule: an integer clamped to 1..500; anything else means 1. */
export function queryCount(raw: string | undefined): number {
  const n = Number.parseInt(raw ?? "", 10)
  if (Number.isNaN(n) || n < 1) return 1
  return n > 500 ? 500 : n
}

/** `n` distinct random World ids (TFB updates: no row twice in one request). */
export function distinctIds(n: number): number[] {
  const ids = new Set<number>()
  while (ids.size < n) ids.add(randomWorld())
  return [...ids]
}
