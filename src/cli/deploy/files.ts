/**
 * The files `truss deploy init` writes. The Dockerfile is the one every
 * `npm create truss` project has (a test keeps the three copies equal).
 * @module
 */

/** The multi-stage, non-root Dockerfile with a /healthz health check. */
export const DOCKERFILE = `# syntax=docker/dockerfile:1
# The image of a Truss app (every \`npm create truss\` project has this file): build with
# the dev dependencies, then run the compiled JavaScript with \`truss start\` as a
# non-root user. docs/deploy.md explains each line.
ARG NODE_VERSION=24

FROM node:\${NODE_VERSION}-slim AS build
WORKDIR /app
COPY package.json package-lock.json* ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:\${NODE_VERSION}-slim AS run
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app /app
USER node
EXPOSE 3000
# Liveness: /healthz answers while the process runs (health() from truss/ops).
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \\
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# truss start finishes in-flight requests on SIGTERM, then exits 0.
STOPSIGNAL SIGTERM
CMD ["node_modules/.bin/truss", "start"]
`

/** What the image build leaves out. */
export const DOCKERIGNORE = `node_modules
dist
.git
.env
*.db
*.db-journal
*.db-wal
*.db-shm
coverage
npm-debug.log*
`
