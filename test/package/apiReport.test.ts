import * as fs from 'node:fs';
import * as path from 'node:path';
import { apiExports, apiReport } from './apiReport';

const REPORT = path.join(__dirname, 'api-report.md');
const exports = apiExports();

describe('the public API', () => {
  it('is the checked-in report (`npm run api-report` writes it after a deliberate change)', () => {
    const report = apiReport(exports);
    if (process.env['API_REPORT'] === 'write') fs.writeFileSync(REPORT, report);
    expect(report).toBe(fs.readFileSync(REPORT, 'utf8'));
  });

  it('keeps the main entry point to the names users compose with', () => {
    expect(exports.filter((e) => e.entry === 'rx-stored-completions').length).toBeLessThanOrEqual(72);
  });

  it('exports nothing declared under src/internal/', () => {
    expect(exports.filter((e) => e.declaredIn.startsWith('src/internal/')).map((e) => `${e.entry}: ${e.name} (${e.declaredIn})`)).toEqual([]);
  });
});
