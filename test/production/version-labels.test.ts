import { describe, expect, it } from 'vitest';
import { versionLabeler } from '../../src/production/version-labels.js';

describe('versionLabeler: a logged prompt_version -> the task version', () => {
  const label = versionLabeler([
    { version: 1, promptSha256: 'aaaa1111bbbb2222' },
    { version: 3, promptSha256: 'cccc3333dddd4444' },
  ]);

  it('maps vN, N and a digest (or its prefix of 7+) to a known version', () => {
    expect(label('v3')).toEqual({ label: 'v3', version: 3 });
    expect(label('1')).toEqual({ label: 'v1', version: 1 });
    expect(label('CCCC333')).toEqual({ label: 'v3', version: 3 });
  });

  it('keeps anything else as written, matching no version', () => {
    expect(label('v2')).toEqual({ label: 'v2', version: null });
    expect(label('prod-2025-06')).toEqual({ label: 'prod-2025-06', version: null });
    expect(label('cccc33')).toEqual({ label: 'cccc33', version: null });
    expect(label(undefined)).toEqual({ label: '(none)', version: null });
  });
});
