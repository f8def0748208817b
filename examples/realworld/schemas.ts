import { z } from "zod"

// The schemas of openapi.yml, one for one: /docs is generated from them and
// openapi.test.ts compares it with the spec. Checks that JSON Schema would show (and the
// spec does not have) are refinements, and zod's implied bounds are taken out.
const blank = (s: string) => s.trim() !== ""
const BLANK = "can't be blank"
const text = z.string({ error: BLANK }).refine(blank, BLANK)
const int = () => z.int().meta({ minimum: undefined, maximum: undefined })
/** An object as the spec writes it: no `additionalProperties: false` in the document. */
const obj = <T extends z.ZodRawShape>(shape: T, id?: string) =>
  z.object(shape, { error: BLANK }).meta({ additionalProperties: undefined, ...(id ? { id } : {}) })
const time = z.string().meta({ format: "date-time" })
const password = text.meta({ format: "password" })

export const LoginUser = obj({ email: text, password: password }, "LoginUser")
export const NewUser = obj({ username: text, email: text, password: password }, "NewUser")
export const UpdateUser = obj(
  {
    email: text.optional(),
    // Front ends send the settings form whole: an empty password means "unchanged".
    password: z.string().optional(),
    username: text.optional(),
    bio: z.string().optional(),
    image: z.string().optional(),
  },
  "UpdateUser",
)
export const User = obj(
  {
    email: z.string(),
    token: z.string(),
    username: z.string(),
    bio: z.string(),
    image: z.string(),
  },
  "User",
)
export const Profile = obj(
  { username: z.string(), bio: z.string(), image: z.string(), following: z.boolean() },
  "Profile",
)
const articleFields = {
  slug: z.string(),
  title: z.string(),
  description: z.string(),
  tagList: z.array(z.string()),
  createdAt: time,
  updatedAt: time,
  favorited: z.boolean(),
  favoritesCount: int(),
  author: Profile,
}
export const Article = obj({ ...articleFields, body: z.string() }, "Article")
export const NewArticle = obj(
  { title: text, description: text, body: text, tagList: z.array(z.string()).optional() },
  "NewArticle",
)
export const UpdateArticle = obj(
  { title: text.optional(), description: text.optional(), body: text.optional() },
  "UpdateArticle",
)
export const Comment = obj(
  { id: int(), createdAt: time, updatedAt: time, body: z.string(), author: Profile },
  "Comment",
)
export const NewComment = obj({ body: text }, "NewComment")
export const GenericErrorModel = obj(
  { errors: obj({ body: z.array(z.string()) }) },
  "GenericErrorModel",
)

export const LoginUserRequest = obj({ user: LoginUser })
export const NewUserRequest = obj({ user: NewUser })
export const UpdateUserRequest = obj({ user: UpdateUser })
export const NewArticleRequest = obj({ article: NewArticle })
export const UpdateArticleRequest = obj({ article: UpdateArticle })
export const NewCommentRequest = obj({ comment: NewComment })

export const UserResponse = obj({ user: User })
export const ProfileResponse = obj({ profile: Profile })
export const SingleArticleResponse = obj({ article: Article })
export const MultipleArticlesResponse = obj({
  articles: z.array(obj(articleFields)),
  articlesCount: int(),
})
export const SingleCommentResponse = obj({ comment: Comment })
export const MultipleCommentsResponse = obj({ comments: z.array(Comment) })
export const TagsResponse = obj({ tags: z.array(z.string()) })

const atLeast = (n: number) => z.int().min(n).meta({ maximum: undefined })
export const Page = obj({ offset: atLeast(0).optional(), limit: atLeast(1).default(20) })
export const ArticleFilters = obj({
  tag: z.string().optional(),
  author: z.string().optional(),
  favorited: z.string().optional(),
  ...Page.shape,
})
export const Username = obj({ username: z.string() })
export const Slug = obj({ slug: z.string() })
export const CommentId = obj({ slug: z.string(), id: int() })

/** The spec's 422 (GenericErrorModel), on every route. */
export const errors = { 422: GenericErrorModel } as const
/** The 422 and the 401 of routes that read a token (the spec gives its 401 no body; this one has). */
export const authErrors = { 401: GenericErrorModel, 422: GenericErrorModel } as const
