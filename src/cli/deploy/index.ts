/** `truss deploy init`: the Dockerfile, compose.yaml, Caddyfile and .dockerignore of a deploy. @module */
export { CADDYFILE, composeFile, type DeployOptions } from "./compose.js"
export { DOCKERFILE, DOCKERIGNORE } from "./files.js"
export { toYaml, type YamlValue } from "./yaml.js"
