/**
 * Child process for bench/saft.ts: parses one file, either with bare saxes (the baseline: the same
 * 64 KiB chunks, decoded by the same strict UTF-8 TextDecoder the reader uses, fed to a saxes
 * parser with the reader's options — position tracking on, no xmlns, a whole document — and no-op
 * opentag and text handlers) or with the kravsync SAF-T reader keeping the tax-account lines. Prints the
 * CPU time (user + system, all threads, so garbage collection counts) and wall time of the parse
 * alone (module loading excluded) and the process's peak RSS, as one JSON line.
 */
import { createReadStream } from "node:fs"
import { TextDecoder } from "node:util"
import { SaxesParser } from "saxes"
import { readSaftFile } from "../connectors/saft/SaftReader.ts"

const [mode, path] = process.argv.slice(2) as [string, string]
const t0 = performance.now()
const c0 = process.cpuUsage()
let kept = 0
if (mode === "bare") {
  await new Promise<void>((resolve, reject) => {
    const p = new SaxesParser({ xmlns: false, position: true })
    let n = 0
    p.on("opentag", () => void n++)
    p.on("text", () => {})
    const d = new TextDecoder("utf-8", { fatal: true })
    const s = createReadStream(path, { highWaterMark: 1 << 16 })
    s.on("data", (c) => p.write(d.decode(c as Buffer, { stream: true })))
    s.on("end", () => (p.write(d.decode()), p.close(), resolve()))
    s.on("error", reject)
  })
} else {
  const r = await readSaftFile({ path, accounts: ["2510", "2600", "2740", "2770"] })
  kept = r.entries.length
}
const cpu = process.cpuUsage(c0)
const ms = performance.now() - t0
console.log(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024, kept }))
