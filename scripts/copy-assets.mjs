// Copies the runtime data files the built JavaScript reads from beside itself (seed documents,
// the demo's scenarios and ledgers) into dist/, at the same relative paths as in the sources.
import { cpSync, existsSync } from "node:fs"
import { dirname, join } from "node:path"

const root = join(dirname(new URL(import.meta.url).pathname), "..")
const assets = ["sandbox/seed", "sandbox/demo/full", "sandbox/demo/ledgers", "sandbox/demo/212201782-2023.xml"]
for (const a of assets) {
  const from = join(root, a)
  if (!existsSync(from)) throw new Error(`copy-assets: ${a} is missing`)
  cpSync(from, join(root, "dist", a), { recursive: true })
}
