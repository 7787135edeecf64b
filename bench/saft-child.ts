/** Child process for bench/saft.ts: parses one file (bare saxes or the SAF-T reader) and prints ms and peak RSS. */
import { createReadStream } from "node:fs"
import { SaxesParser } from "saxes"
import { readSaftFile } from "../connectors/saft/SaftReader.ts"

const [mode, path] = process.argv.slice(2) as [string, string]
const t0 = performance.now()
let kept = 0
if (mode === "bare") {
  await new Promise<void>((resolve, reject) => {
    const p = new SaxesParser({ xmlns: false, position: true })
    let n = 0
    p.on("opentag", () => void n++)
    p.on("text", () => {})
    const s = createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 16 })
    s.on("data", (c) => p.write(c as string))
    s.on("end", () => (p.close(), resolve()))
    s.on("error", reject)
  })
} else {
  const r = await readSaftFile({ path, accounts: ["2510", "2600", "2740", "2770"] })
  kept = r.entries.length
}
const ms = performance.now() - t0
console.log(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, kept }))
