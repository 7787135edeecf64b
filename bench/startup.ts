/**
 * CLI start-up and the demo's wall time, before and after the CLI ran built JavaScript: `kravsync --help` and
 * `kravsync demo` at commit 93ef230 (bin/kravsync.mjs registered tsx and ran the TypeScript sources) against the
 * current tree (bin/kravsync.mjs imports dist/, built by `npm run build`), with `node -e 0` as the baseline.
 * The "before" tree is extracted with `git archive` into a temporary directory and borrows this repo's
 * node_modules through a symlink (same dependencies; tsx, a runtime dependency then, is a dev dependency now),
 * so no network install. Every command runs in its own process, round-robin, one warm-up round discarded.
 * Run: `npx tsx bench/startup.ts` (or `npm run bench`).
 */
import { execFileSync, spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync } from "node:fs"
import { cpus, loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { writeSection } from "./section.ts"

const BEFORE = "93ef230"
const RUNS = 7 // measured runs per command, after one warm-up round
const root = join(import.meta.dirname, "..")
const TIME = "/usr/bin/time" // GNU time, for peak RSS (%M); skipped when absent

interface Cmd {
  readonly label: string
  readonly args: (cwd: string) => ReadonlyArray<string>
  readonly demo: boolean
}

interface Sample {
  readonly ms: number
  readonly rssKb: number | undefined
}

const median = (xs: ReadonlyArray<number>) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

const gnuTime = existsSync(TIME) && spawnSync(TIME, ["-f", "%M", "true"], { encoding: "utf8" }).status === 0

/** One run of `node <args>` in `cwd`: wall time around the spawn, peak RSS from GNU time if present. */
const once = (args: ReadonlyArray<string>, cwd: string, scratch: string): Sample => {
  const rssFile = join(scratch, "rss.txt")
  const [file, argv] = gnuTime ? [TIME, ["-f", "%M", "-o", rssFile, process.execPath, ...args]] : [process.execPath, [...args]]
  const t0 = performance.now()
  const r = spawnSync(file, argv, { cwd, encoding: "utf8", maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: "1" } })
  const ms = performance.now() - t0
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status}: ${r.stderr}`)
  const rssKb = gnuTime ? Number(readFileSync(rssFile, "utf8").trim().split("\n").pop()) : undefined
  return { ms, rssKb }
}

/** The tree at 93ef230 in a temporary directory, with this repo's node_modules linked in. */
const prepareBefore = () => {
  const dir = mkdtempSync(join(tmpdir(), "kravsync-bench-before-"))
  execFileSync("sh", ["-c", `git archive ${BEFORE} | tar -x -C "$1"`, "sh", dir], { cwd: root, stdio: ["ignore", "ignore", "inherit"] })
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir")
  const help = spawnSync(process.execPath, [join(dir, "bin", "kravsync.mjs"), "--help"], { cwd: dir, encoding: "utf8" })
  if (help.status !== 0 || !help.stdout.includes("kravsync")) throw new Error(`the ${BEFORE} launcher does not run: ${help.stderr}`)
  if (!readFileSync(join(dir, "bin", "kravsync.mjs"), "utf8").includes("tsx")) throw new Error(`${BEFORE}'s launcher does not use tsx`)
  return dir
}

const cleanup = (dir: string) => {
  try {
    unlinkSync(join(dir, "node_modules")) // the link only, never the repo's node_modules
  } catch {
    // already gone: nothing to remove
  }
  rmSync(dir, { recursive: true, force: true })
}

export const run = async () => {
  if (!existsSync(join(root, "dist", "bin", "main.js"))) {
    console.log("dist/ missing: npm run build")
    execFileSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" })
  }
  const load0 = loadavg()[0]!
  const before = prepareBefore()
  const scratch = mkdtempSync(join(tmpdir(), "kravsync-bench-startup-"))
  try {
    const launcher = (tree: string) => join(tree, "bin", "kravsync.mjs")
    const cmds: ReadonlyArray<Cmd> = [
      { label: "`node -e 0`", args: () => ["-e", "0"], demo: false },
      { label: "before: `kravsync --help` (tsx)", args: () => [launcher(before), "--help"], demo: false },
      { label: "after: `kravsync --help` (dist/)", args: () => [launcher(root), "--help"], demo: false },
      { label: "before: `kravsync demo` (tsx)", args: (cwd) => [launcher(before), "demo", "--out-dir", join(cwd, "out")], demo: true },
      { label: "after: `kravsync demo` (dist/)", args: (cwd) => [launcher(root), "demo", "--out-dir", join(cwd, "out")], demo: true }
    ]
    const samples = cmds.map((): Array<Sample> => [])
    for (let round = 0; round <= RUNS; round++) {
      cmds.forEach((c, i) => {
        // the demo writes workbooks: a fresh working directory (and out dir) for every run
        const cwd = c.demo ? mkdtempSync(join(scratch, "demo-")) : scratch
        const s = once(c.args(cwd), cwd, scratch)
        if (c.demo) rmSync(cwd, { recursive: true, force: true })
        if (round > 0) samples[i]!.push(s) // round 0 is the warm-up
      })
      console.log(
        `round ${round}${round === 0 ? " (warm-up)" : ""}: ${cmds.map((_, i) => (round > 0 ? samples[i]!.at(-1)!.ms.toFixed(0) : "-")).join(" / ")} ms`
      )
    }
    const stats = samples.map((s) => ({
      med: median(s.map((x) => x.ms)),
      min: Math.min(...s.map((x) => x.ms)),
      max: Math.max(...s.map((x) => x.ms)),
      rss: gnuTime ? median(s.map((x) => x.rssKb!)) / 1024 : undefined
    }))
    const load = [load0, loadavg()[0]!].map((l) => l.toFixed(1)).join(" and ")
    const base = stats[0]!.med
    const rows = cmds.map((c, i) => {
      const s = stats[i]!
      const rss = s.rss === undefined ? "" : ` ${s.rss.toFixed(0)} MB |`
      return `| ${c.label} | ${s.med.toFixed(0)} ms | ${s.min.toFixed(0)}–${s.max.toFixed(0)} ms | ${(s.med / base).toFixed(1)}× |${rss}`
    })
    const [, hb, ha, db, da] = stats.map((s) => s.med) as [number, number, number, number, number]
    const body = `CLI start-up and the demo's wall time, before and after the CLI ran built JavaScript. Before: commit \`${BEFORE}\`,
whose bin/kravsync.mjs registered tsx and imported the TypeScript sources (extracted with \`git archive\` into a temporary
directory, with this repo's node_modules linked in). After: the current tree, whose bin/kravsync.mjs imports dist/
(\`npm run build\`). Baseline: \`node -e 0\`. Each command is a fresh \`node\` process; ${RUNS} measured rounds, run
round-robin after one discarded warm-up round (so tsx's on-disk transform cache is warm for "before"). The demo runs
in a fresh temporary working directory with \`--out-dir\` there each time, and writes its five workbooks and JSON
reports; the "before" demo reconciles that commit's demo data, which differs from today's (other generated companies
and ledgers), so its row compares the whole command, not identical work. Wall time is measured around the spawn${
      gnuTime ?
        `,
which goes through GNU \`/usr/bin/time -f %M\` for the peak RSS (median of the runs; the wrapper adds about a millisecond
to every row, the baseline included)` :
        "; peak RSS is not reported (no GNU /usr/bin/time here)"
    }. Machine: ${cpus().length} cores, shared
with other work (1-minute load average ${load} at the start and end of this run), hence medians of repeated runs;
absolute times move with the load, so compare before with after (measured side by side). Node ${process.version}. Command: \`npx tsx bench/startup.ts\`.

| command | median | min–max | ratio to \`node -e 0\` |${gnuTime ? " peak RSS |" : ""}
|---|---|---|---|${gnuTime ? "---|" : ""}
${rows.join("\n")}

\`--help\`: ${(hb / ha).toFixed(1)}× faster after (${(hb - ha).toFixed(0)} ms less); it still costs ${(ha - base).toFixed(0)} ms over a bare node start
(loading the CLI's modules: Effect, @effect/cli, @effect/platform-node, the connectors). Demo: ${(db / da).toFixed(1)}× faster after (${
      (db - da).toFixed(0)
    } ms less).`
    console.log(body)
    writeSection("startup", body)
  } finally {
    cleanup(before)
    rmSync(scratch, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
