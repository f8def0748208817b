import { form } from "truss/forms"
import { z } from "zod"

/** What a task form accepts: the rules and messages users see. */
export const TaskSchema = z.object({
  title: z
    .string()
    .trim()
    .min(1, "Enter a title.")
    .max(200, "Keep the title under 200 characters."),
  notes: z.string().max(2000, "Keep the notes under 2000 characters.").default(""),
  priority: z
    .number({ error: "Give a priority from 1 to 5." })
    .int("Give a whole number.")
    .min(1, "Give a priority from 1 to 5.")
    .max(5, "Give a priority from 1 to 5."),
  done: z.boolean(),
})

/** The create and edit form: parses the posted fields into a `TaskSchema` value. */
export const taskForm = form(TaskSchema)
