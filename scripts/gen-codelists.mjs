// Regenerates src/domain/codelists/*.json from Skatteetaten's published code lists
// (../shared/reference/skatteetaten/beta-apier/docs/kravogbetalinger/files/). Run: node scripts/gen-codelists.mjs [dir]
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"

const dir = process.argv[2] ?? "../shared/reference/skatteetaten/beta-apier/docs/kravogbetalinger/files"
const text = (xml, tag) => {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)
  return m ? m[1].trim() : undefined
}
const codes = (file) => {
  const xml = readFileSync(join(dir, file), "utf8")
  return [...xml.matchAll(/<kode>([\s\S]*?)<\/kode>/g)].map(([, k]) => {
    const entry = { kode: text(k, "tekniskNavn"), tekst: text(k, "tekst") }
    const utenNorske = text(k, "tekniskNavnUtenNorskeTegn")
    const kravgruppe = text(k, "kravgruppe")
    const hjemmel = text(k, "hjemmel")
    if (utenNorske && utenNorske !== entry.kode) entry.utenNorskeTegn = utenNorske
    if (kravgruppe) entry.kravgruppe = kravgruppe
    if (hjemmel) entry.hjemmel = hjemmel
    return entry
  })
}
mkdirSync("src/domain/codelists", { recursive: true })
for (const name of ["kravtype", "kravgruppe"]) {
  const list = codes(`${name}.xml`)
  writeFileSync(`src/domain/codelists/${name}.json`, JSON.stringify(list, null, 1) + "\n")
  console.log(`${name}: ${list.length} codes`)
}
