import type { JobBackend } from "./backend.js"
import type { EnqueueOptions, Job, JobSink, NewJob } from "./define.js"
import type { Schedule } from "./schedules/define.js"

/** What `defineJob`, `defineSchedule` and `useJobs` share in one process. */
interface JobsState {
  readonly jobs: Map<string, Job<unknown>>
  readonly builders: WeakMap<object, (data: unknown, o: EnqueueOptions) => Promise<NewJob>>
  readonly schedules: Map<string, Schedule>
  sink: JobSink | undefined
  current: JobBackend | undefined
}

const KEY = Symbol.for("truss.jobs.state")
const holder = globalThis as { [KEY]?: JobsState }

/**
 * One state per process, kept on `globalThis`: `truss worker` loads the app's job
 * modules through tsx's namespaced import, which gives them their own copy of this
 * module, and a registry per copy would leave the worker seeing no jobs.
 */
holder[KEY] ??= {
  jobs: new Map(),
  builders: new WeakMap(),
  schedules: new Map(),
  sink: undefined,
  current: undefined,
}
export const state: JobsState = holder[KEY]
