import { count, type Database, type QuerySet, type Row } from "truss/orm"
import type { z } from "zod"
import { Article, Favorite, Follow, type User } from "./models.js"
import type { Article as ArticleOut, Comment as CommentOut, Profile } from "./schemas.js"

type UserRow = Row<typeof User>

/** Which of `ids` the user `me` follows (one query; none when signed out). */
export async function followed(
  db: Database,
  me: number | undefined,
  ids: number[],
): Promise<Set<number>> {
  if (me === undefined || ids.length === 0) return new Set()
  const rows = await db
    .query(Follow)
    .filter({ followerId: me, followedId: { in: ids } })
    .values("followedId")
    .all()
  return new Set(rows.map((r) => r.followedId))
}

/** A user as the spec's Profile. */
export function profile(user: UserRow, following: boolean): z.input<typeof Profile> {
  return { username: user.username, bio: user.bio, image: user.image, following }
}

/** The query set every article read starts from: the author joined, the tags prefetched. */
export function articles(db: Database) {
  return db.query(Article).selectRelated("author").prefetchRelated("tags")
}
type ArticleRows = typeof articles extends (db: Database) => QuerySet<typeof Article, infer R>
  ? R
  : never

/**
 * Presents a page of articles with a constant number of queries whatever its size: the
 * page itself (author joined, tags prefetched: 2), then favorite counts, the viewer's
 * favorites and the viewer's follows (one grouped or `IN (…)` query each, in parallel).
 */
export async function present(
  db: Database,
  rows: ArticleRows[],
  me: number | undefined,
): Promise<z.input<typeof ArticleOut>[]> {
  const ids = rows.map((r) => r.id)
  if (ids.length === 0) return []
  const [counts, mine, following] = await Promise.all([
    db
      .query(Favorite)
      .filter({ articleId: { in: ids } })
      .values("articleId")
      .annotate({ n: count() })
      .all(),
    me === undefined
      ? []
      : db
          .query(Favorite)
          .filter({ userId: me, articleId: { in: ids } })
          .values("articleId")
          .all(),
    followed(db, me, [...new Set(rows.map((r) => r.authorId))]),
  ])
  const countOf = new Map(counts.map((r) => [r.articleId, Number(r.n)]))
  const favorited = new Set(mine.map((r) => r.articleId))
  return rows.map((r) => ({
    slug: r.slug,
    title: r.title,
    description: r.description,
    body: r.body,
    tagList: r.tags.map((t) => t.name),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    favorited: favorited.has(r.id),
    favoritesCount: countOf.get(r.id) ?? 0,
    author: profile(r.author, following.has(r.authorId)),
  }))
}

/** A comment with its author as a Profile. */
export function comment(
  c: { id: number; body: string; createdAt: Date; updatedAt: Date; author: UserRow },
  following: boolean,
): z.input<typeof CommentOut> {
  const { id, body, createdAt, updatedAt, author } = c
  return {
    id,
    body,
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
    author: profile(author, following),
  }
}
