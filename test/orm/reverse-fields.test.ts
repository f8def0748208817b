import { describe, expect, it } from "vitest"
import { type AnyModel, field, model } from "../../src/orm/index.js"

const Shop = model("shop", { name: field.string() })
const Post = model("post", { shop: field.foreignKey(() => Shop) })

/** What a model's first use (its metadata) throws. */
function firstUse(m: AnyModel): unknown {
  try {
    void m.meta
    return undefined
  } catch (err) {
    return { code: (err as { code: string }).code, message: (err as Error).message }
  }
}

function invalid(name: string, reason: string) {
  return { code: "TRUSS_ERR_ORM_INVALID_MODEL", message: `Model ${name} is invalid: ${reason}.` }
}

describe("field.reverse() is checked against the relation it names on first use", () => {
  it("accepts the reverse of a foreign key, with or without a matching relatedName, and adds no column", () => {
    const Author = model("author", {
      name: field.string(),
      books: field.reverse(() => Book, "author"),
      edits: field.reverse(() => Book, "editor"),
    })
    const Book = model("book", {
      author: field.foreignKey(() => Author, { relatedName: "books" }),
      editor: field.foreignKey(() => Author, { null: true }),
    })
    expect(firstUse(Author)).toBeUndefined()
    expect(Author.meta.columns.map((c) => c.key)).toEqual(["id", "name"])
    expect(Author.meta.relation("edits")).toMatchObject({
      name: "edits",
      type: "reverse",
      many: true,
      target: Book,
      localColumn: "id",
      targetColumn: "editor_id",
    })
    expect(Object.keys(Author.jsonSchema("create").properties as object)).toEqual(["id", "name"])
  })

  it("rejects a field the target does not have, listing the relations that would fit", () => {
    const W = model("w1", { posts: field.reverse(() => P, "nope") })
    const P = model("p1", {
      title: field.string(),
      author: field.foreignKey(() => W),
      editor: field.foreignKey(() => W, { null: true }),
    })
    expect(firstUse(W)).toEqual(
      invalid(
        "w1",
        'reverse field "posts" names p1.nope, which is not a relation field; relations of p1 to w1: author, editor',
      ),
    )
    expect(firstUse(P)).toBeUndefined()
  })

  it("rejects a scalar field and a relation that points at another model", () => {
    const W = model("w2", {
      byTitle: field.reverse(() => P, "title"),
    })
    const P = model("p2", { title: field.string(), author: field.foreignKey(() => W) })
    expect(firstUse(W)).toEqual(
      invalid(
        "w2",
        'reverse field "byTitle" names p2.title, which is not a relation field; relations of p2 to w2: author',
      ),
    )
    const V = model("w3", { posts: field.reverse(() => Post, "shop") })
    expect(firstUse(V)).toEqual(
      invalid(
        "w3",
        'reverse field "posts" names post.shop, which does not point at w3; post has no relation to w3',
      ),
    )
  })

  it("rejects a relatedName that differs, another relation's relatedName that clashes, and a non-model", () => {
    const W = model("w4", { items: field.reverse(() => P, "author") })
    const P = model("p4", { author: field.foreignKey(() => W, { relatedName: "posts" }) })
    expect(firstUse(W)).toEqual(
      invalid(
        "w4",
        'reverse field "items" names p4.author, whose relatedName is "posts": rename one to match',
      ),
    )
    const X = model("w5", { posts: field.reverse(() => Q, "author") })
    const Q = model("p5", {
      author: field.foreignKey(() => X),
      editor: field.foreignKey(() => X, { relatedName: "posts" }),
    })
    expect(firstUse(X)).toEqual(
      invalid(
        "w5",
        'reverse field "posts" clashes with the relatedName of p5.editor: rename one of them',
      ),
    )
    expect(firstUse(Q)).toBeUndefined()
    const Y = model("w6", { things: field.reverse(() => ({}) as AnyModel, "x") })
    expect(firstUse(Y)).toEqual(
      invalid(
        "w6",
        'reverse field "things" needs a model: write field.reverse(() => Model, "field")',
      ),
    )
  })

  it("accepts the reverse of a self-reference, a one-to-one and a many-to-many", () => {
    const Node = model("node", {
      parent: field.foreignKey("self", { null: true }),
      children: field.reverse("self", "parent"),
      card: field.reverse(() => Card, "node"),
      groups: field.reverse(() => Group, "nodes"),
    })
    const Card = model("card", { node: field.oneToOne(() => Node) })
    const Group = model("group", { nodes: field.manyToMany(() => Node) })
    const rel = (name: string) => {
      const r = Node.meta.relation(name)
      return [r?.type, r?.many, r?.target.name, r?.through?.model.meta.table ?? null]
    }
    expect([rel("children"), rel("card"), rel("groups")]).toEqual([
      ["reverse", true, "node", null],
      ["reverse", false, "card", null],
      ["manyToMany", true, "group", "group_nodes"],
    ])
  })
})
