/**
 * Seeds the benchmark database: 100 users, 1,000 articles (3 of 20 tags each), about
 * 4,500 favorites, and a reader who follows 10 authors.
 * @module
 */

import { Article, Favorite, Follow, Tag, User } from "../../examples/realworld/models.js"
import { hashPassword } from "../../src/auth/index.js"
import type { Database } from "../../src/orm/index.js"

/** The seeded reader's id (signs the authenticated requests). */
export async function seed(db: Database): Promise<{ readerId: number }> {
  const password = await hashPassword("bench-password")
  const users = await db.query(User).bulkCreate(
    Array.from({ length: 100 }, (_, i) => ({
      username: `user${i}`,
      email: `user${i}@example.com`,
      password,
      bio: `Bio of user ${i}`,
    })),
  )
  const tags = await db
    .query(Tag)
    .bulkCreate(Array.from({ length: 20 }, (_, i) => ({ name: `tag${i}` })))
  const start = Date.UTC(2026, 0, 1)
  const articles = await db.query(Article).bulkCreate(
    Array.from({ length: 1000 }, (_, i) => ({
      slug: `article-${i}`,
      title: `Article ${i}`,
      description: `What article ${i} is about`,
      body: `The body of article ${i}. `.repeat(20),
      authorId: users[i % 100]!.id,
      createdAt: new Date(start + i * 60_000),
      updatedAt: new Date(start + i * 60_000),
    })),
  )
  for (const a of articles) {
    await db
      .query(Article)
      .related(a.id, "tags")
      .add(...[0, 7, 13].map((k) => tags[(a.id + k) % 20]!))
  }
  const favorites = articles.flatMap((a, i) =>
    users.slice(0, i % 10).map((u) => ({ userId: u.id, articleId: a.id })),
  )
  await db.query(Favorite).bulkCreate(favorites, { batchSize: 500 })
  const reader = users[0]!
  await db
    .query(Follow)
    .bulkCreate(users.slice(1, 11).map((u) => ({ followerId: reader.id, followedId: u.id })))
  return { readerId: reader.id }
}
