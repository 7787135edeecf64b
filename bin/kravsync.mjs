#!/usr/bin/env node
// Runs the built CLI (dist/, made by `npm run build`, which `npm ci` runs through `prepare`).
import { existsSync } from "node:fs"

const main = new URL("../dist/bin/main.js", import.meta.url)
if (!existsSync(main)) {
  process.stderr.write("kravsync: not built yet — run `npm run build` (npm ci does it through `prepare`).\n")
  process.exit(1)
}
await import(main.href)
