/** Runs every benchmark in bench/ (each writes its own section of docs/performance.md). */
const benches = ["saft.ts", "reconcile.ts", "client.ts"]
for (const b of benches) {
  console.log(`# ${b}`)
  const m = (await import(`./${b}`)) as { run: () => Promise<void> }
  await m.run()
}
