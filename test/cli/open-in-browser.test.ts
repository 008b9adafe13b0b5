import { describe, expect, it } from 'vitest';
import { browserOpener, openInBrowser } from '../../src/cli/open-in-browser.js';

const FILE = '/runs/r 1/report.html';

describe('browserOpener', () => {
  it('picks the desktop opener of each platform, and none on a Unix without a display', () => {
    expect(browserOpener(FILE, 'darwin', {})).toEqual({ command: 'open', args: [FILE] });
    expect(browserOpener(FILE, 'win32', {})).toEqual({ command: 'cmd.exe', args: ['/d', '/s', '/c', `start "" "${FILE}"`], verbatim: true });
    expect(browserOpener(FILE, 'linux', { DISPLAY: ':0' })).toEqual({ command: 'xdg-open', args: [FILE] });
    expect(browserOpener(FILE, 'freebsd', { WAYLAND_DISPLAY: 'wayland-0' })).toEqual({ command: 'xdg-open', args: [FILE] });
    expect(browserOpener(FILE, 'linux', {})).toEqual({ none: 'no desktop display (DISPLAY and WAYLAND_DISPLAY are unset)' });
    expect(browserOpener(FILE, 'linux', { DISPLAY: '' })).toHaveProperty('none');
  });

  it('reports an opener that cannot be started instead of throwing', async () => {
    const result = await openInBrowser(FILE, { platform: 'linux', env: { DISPLAY: ':0', PATH: '/nonexistent-bin' } });
    expect(result).toMatchObject({ opened: false });
    expect((result as { reason: string }).reason).toMatch(/^xdg-open could not be started/);
  });
});
