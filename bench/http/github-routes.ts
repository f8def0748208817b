/**
 * The GitHub REST API route set (a 250-route app), in `:param` syntax, and the mix of
 * requests the `routes` scenario sends: static and param routes at several depths.
 * @module
 */

/** One route: HTTP method and path pattern. */
export type Route = readonly [method: string, path: string]

const R = "/repos/:owner/:repo"

const META: Route[] = [
  ["GET", "/"],
  ["GET", "/meta"],
  ["GET", "/emojis"],
  ["GET", "/rate_limit"],
  ["GET", "/octocat"],
  ["GET", "/zen"],
  ["GET", "/events"],
  ["GET", "/feeds"],
  ["GET", "/networks/:owner/:repo/events"],
  ["POST", "/markdown"],
  ["POST", "/markdown/raw"],
  ["GET", "/licenses"],
  ["GET", "/licenses/:license"],
  ["GET", "/gitignore/templates"],
  ["GET", "/gitignore/templates/:name"],
  ["GET", "/search/repositories"],
  ["GET", "/search/commits"],
  ["GET", "/search/code"],
  ["GET", "/search/issues"],
  ["GET", "/search/users"],
]

const ACTIVITY: Route[] = [
  ["GET", "/notifications"],
  ["PUT", "/notifications"],
  ["GET", "/notifications/threads/:thread_id"],
  ["PATCH", "/notifications/threads/:thread_id"],
  ["DELETE", "/notifications/threads/:thread_id"],
  ["GET", `${R}/events`],
  ["GET", `${R}/notifications`],
  ["PUT", `${R}/notifications`],
  ["GET", `${R}/stargazers`],
  ["GET", `${R}/subscribers`],
  ["GET", `${R}/subscription`],
  ["PUT", `${R}/subscription`],
  ["DELETE", `${R}/subscription`],
  ["GET", "/user/starred"],
  ["GET", "/user/starred/:owner/:repo"],
  ["PUT", "/user/starred/:owner/:repo"],
  ["DELETE", "/user/starred/:owner/:repo"],
  ["GET", "/user/subscriptions"],
  ["GET", "/orgs/:org/events"],
]

const GISTS: Route[] = [
  ["GET", "/gists"],
  ["POST", "/gists"],
  ["GET", "/gists/public"],
  ["GET", "/gists/starred"],
  ["GET", "/gists/:gist_id"],
  ["PATCH", "/gists/:gist_id"],
  ["DELETE", "/gists/:gist_id"],
  ["GET", "/gists/:gist_id/comments"],
  ["POST", "/gists/:gist_id/comments"],
  ["GET", "/gists/:gist_id/comments/:comment_id"],
  ["PATCH", "/gists/:gist_id/comments/:comment_id"],
  ["DELETE", "/gists/:gist_id/comments/:comment_id"],
  ["GET", "/gists/:gist_id/commits"],
  ["GET", "/gists/:gist_id/forks"],
  ["POST", "/gists/:gist_id/forks"],
  ["GET", "/gists/:gist_id/star"],
  ["PUT", "/gists/:gist_id/star"],
  ["DELETE", "/gists/:gist_id/star"],
  ["GET", "/gists/:gist_id/:sha"],
]

const GIT: Route[] = [
  ["POST", `${R}/git/blobs`],
  ["GET", `${R}/git/blobs/:file_sha`],
  ["POST", `${R}/git/commits`],
  ["GET", `${R}/git/commits/:commit_sha`],
  ["GET", `${R}/git/matching-refs/:ref`],
  ["GET", `${R}/git/ref/:ref`],
  ["POST", `${R}/git/refs`],
  ["PATCH", `${R}/git/refs/:ref`],
  ["DELETE", `${R}/git/refs/:ref`],
  ["POST", `${R}/git/trees`],
  ["GET", `${R}/git/trees/:tree_sha`],
]

const ISSUES: Route[] = [
  ["GET", "/issues"],
  ["GET", "/user/issues"],
  ["GET", "/orgs/:org/issues"],
  ["GET", `${R}/issues`],
  ["POST", `${R}/issues`],
  ["GET", `${R}/issues/:issue_number`],
  ["PATCH", `${R}/issues/:issue_number`],
  ["PUT", `${R}/issues/:issue_number/lock`],
  ["DELETE", `${R}/issues/:issue_number/lock`],
  ["GET", `${R}/assignees`],
  ["GET", `${R}/assignees/:assignee`],
  ["POST", `${R}/issues/:issue_number/assignees`],
  ["DELETE", `${R}/issues/:issue_number/assignees`],
  ["GET", `${R}/issues/:issue_number/comments`],
  ["POST", `${R}/issues/:issue_number/comments`],
  ["GET", `${R}/issues/comments`],
  ["GET", `${R}/issues/comments/:comment_id`],
  ["PATCH", `${R}/issues/comments/:comment_id`],
  ["DELETE", `${R}/issues/comments/:comment_id`],
  ["GET", `${R}/issues/comments/:comment_id/reactions`],
  ["POST", `${R}/issues/comments/:comment_id/reactions`],
  ["GET", `${R}/issues/events`],
  ["GET", `${R}/issues/events/:event_id`],
  ["GET", `${R}/issues/:issue_number/events`],
  ["GET", `${R}/issues/:issue_number/timeline`],
  ["GET", `${R}/issues/:issue_number/reactions`],
  ["POST", `${R}/issues/:issue_number/reactions`],
  ["GET", `${R}/labels`],
  ["POST", `${R}/labels`],
  ["GET", `${R}/labels/:name`],
  ["PATCH", `${R}/labels/:name`],
  ["DELETE", `${R}/labels/:name`],
  ["GET", `${R}/issues/:issue_number/labels`],
  ["POST", `${R}/issues/:issue_number/labels`],
  ["PUT", `${R}/issues/:issue_number/labels`],
  ["DELETE", `${R}/issues/:issue_number/labels`],
  ["DELETE", `${R}/issues/:issue_number/labels/:name`],
  ["GET", `${R}/milestones`],
  ["POST", `${R}/milestones`],
  ["GET", `${R}/milestones/:milestone_number`],
  ["PATCH", `${R}/milestones/:milestone_number`],
  ["DELETE", `${R}/milestones/:milestone_number`],
]

const PULLS: Route[] = [
  ["GET", `${R}/pulls`],
  ["POST", `${R}/pulls`],
  ["GET", `${R}/pulls/:pull_number`],
  ["PATCH", `${R}/pulls/:pull_number`],
  ["GET", `${R}/pulls/:pull_number/commits`],
  ["GET", `${R}/pulls/:pull_number/files`],
  ["GET", `${R}/pulls/:pull_number/merge`],
  ["PUT", `${R}/pulls/:pull_number/merge`],
  ["PUT", `${R}/pulls/:pull_number/update-branch`],
  ["GET", `${R}/pulls/:pull_number/comments`],
  ["POST", `${R}/pulls/:pull_number/comments`],
  ["GET", `${R}/pulls/comments`],
  ["GET", `${R}/pulls/comments/:comment_id`],
  ["PATCH", `${R}/pulls/comments/:comment_id`],
  ["DELETE", `${R}/pulls/comments/:comment_id`],
  ["GET", `${R}/pulls/:pull_number/requested_reviewers`],
  ["POST", `${R}/pulls/:pull_number/requested_reviewers`],
  ["DELETE", `${R}/pulls/:pull_number/requested_reviewers`],
  ["GET", `${R}/pulls/:pull_number/reviews`],
  ["POST", `${R}/pulls/:pull_number/reviews`],
  ["GET", `${R}/pulls/:pull_number/reviews/:review_id`],
  ["PUT", `${R}/pulls/:pull_number/reviews/:review_id`],
  ["DELETE", `${R}/pulls/:pull_number/reviews/:review_id`],
  ["GET", `${R}/pulls/:pull_number/reviews/:review_id/comments`],
]

const REPOS: Route[] = [
  ["GET", "/user/repos"],
  ["POST", "/user/repos"],
  ["GET", "/orgs/:org/repos"],
  ["POST", "/orgs/:org/repos"],
  ["GET", "/repositories"],
  ["GET", R],
  ["PATCH", R],
  ["DELETE", R],
  ["GET", `${R}/contributors`],
  ["GET", `${R}/languages`],
  ["GET", `${R}/tags`],
  ["GET", `${R}/teams`],
  ["GET", `${R}/topics`],
  ["PUT", `${R}/topics`],
  ["GET", `${R}/license`],
  ["GET", `${R}/branches`],
  ["GET", `${R}/branches/:branch`],
  ["GET", `${R}/branches/:branch/protection`],
  ["PUT", `${R}/branches/:branch/protection`],
  ["DELETE", `${R}/branches/:branch/protection`],
  ["POST", `${R}/branches/:branch/rename`],
  ["GET", `${R}/collaborators`],
  ["GET", `${R}/collaborators/:username`],
  ["PUT", `${R}/collaborators/:username`],
  ["DELETE", `${R}/collaborators/:username`],
  ["GET", `${R}/collaborators/:username/permission`],
  ["GET", `${R}/comments`],
  ["GET", `${R}/comments/:comment_id`],
  ["PATCH", `${R}/comments/:comment_id`],
  ["DELETE", `${R}/comments/:comment_id`],
  ["GET", `${R}/commits`],
  ["GET", `${R}/commits/:ref`],
  ["GET", `${R}/commits/:ref/comments`],
  ["POST", `${R}/commits/:ref/comments`],
  ["GET", `${R}/commits/:ref/status`],
  ["GET", `${R}/commits/:ref/statuses`],
  ["GET", `${R}/compare/:basehead`],
  ["GET", `${R}/readme`],
  ["GET", `${R}/contents/:path`],
  ["PUT", `${R}/contents/:path`],
  ["DELETE", `${R}/contents/:path`],
  ["GET", `${R}/tarball/:ref`],
  ["GET", `${R}/zipball/:ref`],
  ["GET", `${R}/forks`],
  ["POST", `${R}/forks`],
  ["GET", `${R}/releases`],
  ["POST", `${R}/releases`],
  ["GET", `${R}/releases/latest`],
  ["GET", `${R}/releases/tags/:tag`],
  ["GET", `${R}/releases/:release_id`],
  ["PATCH", `${R}/releases/:release_id`],
  ["DELETE", `${R}/releases/:release_id`],
  ["GET", `${R}/releases/:release_id/assets`],
  ["GET", `${R}/releases/assets/:asset_id`],
  ["PATCH", `${R}/releases/assets/:asset_id`],
  ["DELETE", `${R}/releases/assets/:asset_id`],
  ["POST", `${R}/statuses/:sha`],
  ["GET", `${R}/invitations`],
  ["POST", `${R}/dispatches`],
  ["POST", `${R}/merges`],
]

const USERS: Route[] = [
  ["GET", "/user"],
  ["PATCH", "/user"],
  ["GET", "/users"],
  ["GET", "/users/:username"],
  ["GET", "/users/:username/repos"],
  ["GET", "/users/:username/gists"],
  ["GET", "/users/:username/events"],
  ["GET", "/users/:username/events/public"],
  ["GET", "/users/:username/events/orgs/:org"],
  ["GET", "/users/:username/received_events"],
  ["GET", "/users/:username/received_events/public"],
  ["GET", "/users/:username/starred"],
  ["GET", "/users/:username/subscriptions"],
  ["GET", "/users/:username/followers"],
  ["GET", "/users/:username/following"],
  ["GET", "/users/:username/following/:target_user"],
  ["GET", "/users/:username/keys"],
  ["GET", "/users/:username/orgs"],
  ["GET", "/users/:username/hovercard"],
  ["GET", "/user/followers"],
  ["GET", "/user/following"],
  ["GET", "/user/following/:username"],
  ["PUT", "/user/following/:username"],
  ["DELETE", "/user/following/:username"],
  ["GET", "/user/orgs"],
  ["GET", "/user/teams"],
  ["GET", "/user/memberships/orgs"],
  ["GET", "/user/memberships/orgs/:org"],
  ["PATCH", "/user/memberships/orgs/:org"],
]

const ORGS: Route[] = [
  ["GET", "/organizations"],
  ["GET", "/orgs/:org"],
  ["PATCH", "/orgs/:org"],
  ["GET", "/orgs/:org/members"],
  ["GET", "/orgs/:org/members/:username"],
  ["DELETE", "/orgs/:org/members/:username"],
  ["GET", "/orgs/:org/public_members"],
  ["GET", "/orgs/:org/public_members/:username"],
  ["PUT", "/orgs/:org/public_members/:username"],
  ["DELETE", "/orgs/:org/public_members/:username"],
  ["GET", "/orgs/:org/memberships/:username"],
  ["PUT", "/orgs/:org/memberships/:username"],
  ["DELETE", "/orgs/:org/memberships/:username"],
  ["GET", "/orgs/:org/teams"],
  ["POST", "/orgs/:org/teams"],
  ["GET", "/orgs/:org/teams/:team_slug"],
  ["PATCH", "/orgs/:org/teams/:team_slug"],
  ["DELETE", "/orgs/:org/teams/:team_slug"],
  ["GET", "/orgs/:org/teams/:team_slug/members"],
  ["GET", "/orgs/:org/teams/:team_slug/memberships/:username"],
  ["PUT", "/orgs/:org/teams/:team_slug/memberships/:username"],
  ["DELETE", "/orgs/:org/teams/:team_slug/memberships/:username"],
  ["GET", "/orgs/:org/teams/:team_slug/repos"],
  ["GET", "/orgs/:org/teams/:team_slug/repos/:owner/:repo"],
  ["PUT", "/orgs/:org/teams/:team_slug/repos/:owner/:repo"],
  ["DELETE", "/orgs/:org/teams/:team_slug/repos/:owner/:repo"],
]

/** Every route of the app, in registration order. */
export const GITHUB_ROUTES: readonly Route[] = [
  ...META,
  ...ACTIVITY,
  ...GISTS,
  ...GIT,
  ...ISSUES,
  ...PULLS,
  ...REPOS,
  ...USERS,
  ...ORGS,
]

/** One request of the load mix and the route it must reach. */
export interface RouteHit {
  method: string
  path: string
  route: string
}

/** The load mix: static and param routes, shallow and deep, a few non-GET methods. */
export const ROUTE_HITS: readonly RouteHit[] = [
  { method: "GET", path: "/user", route: "/user" },
  { method: "GET", path: "/emojis", route: "/emojis" },
  { method: "GET", path: "/search/repositories", route: "/search/repositories" },
  { method: "GET", path: "/user/repos", route: "/user/repos" },
  { method: "GET", path: "/users/octocat", route: "/users/:username" },
  { method: "GET", path: "/users/octocat/repos", route: "/users/:username/repos" },
  { method: "GET", path: "/orgs/truss/members", route: "/orgs/:org/members" },
  { method: "GET", path: "/repos/truss/core", route: R },
  { method: "GET", path: "/repos/truss/core/issues", route: `${R}/issues` },
  { method: "GET", path: "/repos/truss/core/issues/42", route: `${R}/issues/:issue_number` },
  {
    method: "GET",
    path: "/repos/truss/core/pulls/7/commits",
    route: `${R}/pulls/:pull_number/commits`,
  },
  {
    method: "GET",
    path: "/repos/truss/core/git/commits/9f3ac1e",
    route: `${R}/git/commits/:commit_sha`,
  },
  { method: "GET", path: "/repos/truss/core/releases/latest", route: `${R}/releases/latest` },
  { method: "GET", path: "/gists/1234/star", route: "/gists/:gist_id/star" },
  { method: "GET", path: "/notifications", route: "/notifications" },
  {
    method: "DELETE",
    path: "/repos/truss/core/issues/comments/9",
    route: `${R}/issues/comments/:comment_id`,
  },
  { method: "PUT", path: "/user/starred/truss/core", route: "/user/starred/:owner/:repo" },
  {
    method: "GET",
    path: "/orgs/truss/teams/core/repos/truss/core",
    route: "/orgs/:org/teams/:team_slug/repos/:owner/:repo",
  },
]

/** The name of a route's last param, or undefined for a static route. */
export function lastParam(route: string): string | undefined {
  const names = route.match(/:\w+/g)
  return names ? names[names.length - 1]!.slice(1) : undefined
}

/**
 * What every server answers for a route: the pattern, then the last param's value.
 * @example
 * ```ts
 * routeBody("/users/:username", "octocat") // "/users/:username octocat"
 * ```
 */
export function routeBody(route: string, last: string | undefined): string {
  return last === undefined ? route : `${route} ${last}`
}

/** The body a hit must get back: its route pattern and the value of the last param. */
export function expectedRouteBody(hit: RouteHit): string {
  const name = lastParam(hit.route)
  if (name === undefined) return hit.route
  const index = hit.route.split("/").indexOf(`:${name}`)
  return routeBody(hit.route, hit.path.split("/")[index])
}
