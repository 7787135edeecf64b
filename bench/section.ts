/** Replaces (or appends) one `## <name>` section of docs/performance.md, leaving the others alone. */
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"

export const writeSection = (name: string, body: string): void => {
  const path = join(import.meta.dirname, "..", "docs", "performance.md")
  const text = existsSync(path) ? readFileSync(path, "utf8") : "# Performance\n\nFigures from `npm run bench` (each benchmark replaces its own section).\n"
  const header = `## ${name}\n`
  const section = `${header}\n${body.trim()}\n`
  const start = text.indexOf(header)
  if (start < 0) return writeFileSync(path, `${text.trimEnd()}\n\n${section}`)
  const next = text.indexOf("\n## ", start + header.length)
  writeFileSync(path, `${text.slice(0, start)}${section}${next < 0 ? "" : text.slice(next)}`)
}
