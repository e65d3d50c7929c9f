// Drift check (issue 18): the TypeScript client's types are generated from contracts/openapi.json and committed as
// src/api/schema.d.ts. This regenerates them in memory and fails when the committed file differs, so a contract
// change without `npm run generate` fails the console's build (and the browser test project's drift test).
import { readFileSync } from 'node:fs'
import openapiTS, { astToString } from 'openapi-typescript'

const contract = new URL('../../../contracts/openapi.json', import.meta.url)
const committed = new URL('../src/api/schema.d.ts', import.meta.url)
const fresh = astToString(await openapiTS(JSON.parse(readFileSync(contract, 'utf8'))))
const normalise = (s) => s.replace(/\r\n/g, '\n').replace(/^\/\*\*[\s\S]*?\*\/\n*/, '').trim()
if (normalise(fresh) !== normalise(readFileSync(committed, 'utf8'))) {
  console.error('src/api/schema.d.ts is stale: contracts/openapi.json changed. Run `npm run generate` in src/CaseFlow.Console and commit it.')
  process.exit(1)
}
console.log('TypeScript client types match contracts/openapi.json')
