/**
 * The file watcher of `truss dev`: one recursive `fs.watch` on the project, changes to
 * source-like files only, bursts collapsed into one call after `debounceMs`.
 * @module
 */
import { type FSWatcher, readdirSync, watch } from "node:fs"
import { join } from "node:path"

/** Folders whose changes never restart the app. */
const IGNORED_DIRS = /(^|[/\\])(node_modules|\.git|dist|coverage|data|\.truss)([/\\]|$)/
/** Files that do: code, config and env. */
const WATCHED_FILES = /\.(ts|tsx|mts|cts|js|mjs|cjs|json|env)$|(^|[/\\])\.env(\.[\w-]+)?$/

/** Whether a changed path (relative to the project) should restart the app. */
export function restartsOn(file: string): boolean {
  return !IGNORED_DIRS.test(file) && WATCHED_FILES.test(file)
}

/** What `watchProject()` returns. */
export interface ProjectWatcher {
  close(): void
}

/**
 * Watches `dir`; calls `onChange` with the changed files once a burst has settled.
 * The project root is watched on its own (config and env files) and each folder in it
 * recursively, except the ignored ones: a recursive watch of the root would first walk
 * all of node_modules (Node's recursive watch on Linux adds a watch per folder), which
 * takes seconds and misses the edits made meanwhile.
 */
export function watchProject(
  dir: string,
  debounceMs: number,
  onChange: (files: string[]) => void,
): ProjectWatcher {
  let timer: NodeJS.Timeout | undefined
  const changed = new Set<string>()
  const seen = (file: string): void => {
    if (!restartsOn(file)) return
    changed.add(file)
    clearTimeout(timer)
    timer = setTimeout(() => {
      const files = [...changed].sort()
      changed.clear()
      onChange(files)
    }, debounceMs)
  }
  const watchers: FSWatcher[] = [
    watch(dir, (_event, file) => {
      if (file !== null) seen(file)
    }),
  ]
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || IGNORED_DIRS.test(entry.name) || entry.name.startsWith(".")) {
      continue
    }
    watchers.push(
      watch(join(dir, entry.name), { recursive: true }, (_event, file) => {
        if (file !== null) seen(join(entry.name, file))
      }),
    )
  }
  return {
    close() {
      clearTimeout(timer)
      for (const w of watchers) w.close()
    },
  }
}
