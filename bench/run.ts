/** Runs every benchmark in bench/ (each writes its own section of docs/performance.md). */
const benches = ["decode.ts", "client.ts", "saft.ts", "reconcile.ts", "excel.ts", "json.ts", "soak.ts", "startup.ts", "service.ts"]
for (const b of benches) {
  console.log(`# ${b}`)
  const m = (await import(`./${b}`)) as { run: () => Promise<void> }
  await m.run()
}
