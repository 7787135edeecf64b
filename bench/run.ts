/** Runs every benchmark in bench/ (each writes its own section of docs/performance.md). */
const benches = ["decode.ts", "client.ts", "saft.ts", "reconcile.ts", "excel.ts", "json.ts", "cli.ts", "soak.ts", "startup.ts", "portfolio.ts", "service.ts"]
for (const b of benches) {
  console.log(`# ${b}`)
  const m = (await import(`./${b}`)) as { run: () => Promise<void> }
  await m.run()
}
