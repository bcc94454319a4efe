import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bindMount, canMount, mountFuse } from '../reliability/storage-location';
import { classifyStorage, databaseStorageLocation, mountHolding, parseBsdMountOutput, parseMountInfo, parseNetUse, syncedFolderOf, uncShare, type StorageFacts } from '../../src/main/storage-location';

/** A mountinfo as a Linux workstation with a few network and cloud mounts would show it. */
const MOUNTINFO = [
  '22 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw',
  '23 22 0:21 / /proc rw,nosuid - proc proc rw',
  '30 22 8:3 / /home rw,relatime shared:2 - xfs /dev/sda3 rw',
  '41 22 0:45 / /mnt/lab rw,relatime shared:30 - nfs4 fileserver:/export/lab rw,vers=4.2',
  '42 22 0:46 / /mnt/share\\040with\\040spaces rw,relatime - cifs //nas/Chemistry rw,vers=3.1.1',
  '43 30 0:47 / /home/ana/remote rw,nosuid,nodev - fuse.sshfs ana@lab:/data rw,user_id=1000',
  '44 30 0:48 / /home/ana/cloud rw,nosuid,nodev - fuse.rclone gdrive: rw,user_id=1000',
  '45 22 0:49 / /mnt/wsl-c rw - 9p C:\\134 rw,trans=fd',
  '46 30 8:3 /ana/Dropbox/lab /srv/lab rw,relatime - xfs /dev/sda3 rw',
  '47 30 0:50 / /home/ana/vault rw - fuse.gocryptfs /home/ana/.vault rw',
  '48 41 0:51 / /mnt/lab/scratch rw - tmpfs tmpfs rw,size=1g',
  'garbage line',
].join('\n');

const linux = (folder: string, mounts = parseMountInfo(MOUNTINFO)): StorageFacts => ({ platform: 'linux', home: '/home/ana', folder, mounts });

describe('parsing mount tables', () => {
  it('reads mountinfo fields, decodes \\040 escapes and skips malformed lines', () => {
    const mounts = parseMountInfo(MOUNTINFO);
    expect(mounts).toHaveLength(11);
    expect(mounts[3]).toEqual({ root: '/', mountPoint: '/mnt/lab', fsType: 'nfs4', source: 'fileserver:/export/lab' });
    expect(mounts[4]!.mountPoint).toBe('/mnt/share with spaces');
    expect(mounts[7]!.source).toBe('C:\\');
    expect(mounts[8]).toMatchObject({ root: '/ana/Dropbox/lab', mountPoint: '/srv/lab' });
  });

  it('reads macOS mount output', () => {
    const mounts = parseBsdMountOutput(
      [
        '/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)',
        '//ana@nas._smb._tcp.local/Chemistry on /Volumes/Chemistry (smbfs, nodev, nosuid, mounted by ana)',
        'fileserver:/export on /Volumes/export (nfs, asynchronous)',
      ].join('\n'),
    );
    expect(mounts.map((m) => [m.mountPoint, m.fsType])).toEqual([['/', 'apfs'], ['/Volumes/Chemistry', 'smbfs'], ['/Volumes/export', 'nfs']]);
  });

  it('reads drive mappings from net use', () => {
    const text = 'Status       Local     Remote                    Network\r\n-------------------------------------------------------------------------------\r\nOK           Z:        \\\\nas\\Chemistry           Microsoft Windows Network\r\nUnavailable  Y:        \\\\old\\share                Microsoft Windows Network\r\nThe command completed successfully.\r\n';
    expect([...parseNetUse(text)]).toEqual([['Z:', '\\\\nas\\Chemistry'], ['Y:', '\\\\old\\share']]);
  });

  it('takes the longest mount point above a path, not a sibling that shares its prefix', () => {
    const mounts = parseMountInfo(MOUNTINFO);
    expect(mountHolding('/mnt/lab/db/app.db', mounts)?.fsType).toBe('nfs4');
    expect(mountHolding('/mnt/lab/scratch/app.db', mounts)?.fsType).toBe('tmpfs');
    expect(mountHolding('/mnt/laboratory', mounts)?.fsType).toBe('ext4');
    expect(mountHolding('/mnt/lab', mounts)?.fsType).toBe('nfs4');
  });
});

describe('network file systems (Linux)', () => {
  it.each([
    ['/mnt/lab/latent', 'nfs4', 'NFS'],
    ['/mnt/share with spaces/x', 'cifs', 'SMB'],
    ['/home/ana/remote/db', 'fuse.sshfs', 'sshfs'],
    ['/home/ana/cloud/db', 'fuse.rclone', 'an rclone cloud mount'],
    ['/mnt/wsl-c/Users/ana', '9p', 'a 9p share'],
  ])('%s on %s is network', (folder, fsType, service) => {
    const r = classifyStorage(linux(folder));
    expect(r).toMatchObject({ kind: 'network', fileSystem: fsType, service });
    expect(r.detail).toMatch(/^on a network file system: /);
  });

  it('a local mount inside a network one is local', () => {
    expect(classifyStorage(linux('/mnt/lab/scratch/x'))).toMatchObject({ kind: 'local', fileSystem: 'tmpfs', mountPoint: '/mnt/lab/scratch' });
  });

  it('an unknown FUSE file system is local, with a word of caution', () => {
    const r = classifyStorage(linux('/home/ana/vault/db'));
    expect(r.kind).toBe('local');
    expect(r.detail).toMatch(/FUSE file system \(gocryptfs\) this app does not know/);
  });

  it('a local folder says which file system and mount', () => {
    expect(classifyStorage(linux('/home/ana/.config/Latent Formulator'))).toEqual({
      kind: 'local',
      detail: 'a local folder (xfs /dev/sda3 mounted at /home)',
      folder: '/home/ana/.config/Latent Formulator',
      fileSystem: 'xfs',
      mountPoint: '/home',
      service: null,
    });
  });

  it('a bind mount of a Dropbox folder is synced, whatever it is called where it is mounted', () => {
    const r = classifyStorage(linux('/srv/lab/latent'));
    expect(r).toMatchObject({ kind: 'synced', service: 'Dropbox', fileSystem: 'xfs' });
    expect(r.detail).toBe('inside the Dropbox folder /ana/Dropbox, mounted at /srv/lab (a bind mount)');
  });
});

describe('synced folders by path', () => {
  const cases: [NodeJS.Platform, string, string, string, string][] = [
    ['win32', 'C:\\Users\\ana', 'C:\\Users\\ana\\OneDrive\\Documents\\Latent', 'OneDrive', 'C:\\Users\\ana\\OneDrive'],
    ['win32', 'C:\\Users\\ana', 'C:\\Users\\ana\\OneDrive - Contoso Labs\\R&D', 'OneDrive', 'C:\\Users\\ana\\OneDrive - Contoso Labs'],
    ['win32', 'C:\\Users\\ana', 'C:\\Users\\ana\\Dropbox (Contoso)\\lab', 'Dropbox', 'C:\\Users\\ana\\Dropbox (Contoso)'],
    ['win32', 'C:\\Users\\ana', 'G:\\My Drive\\formulas', 'Google Drive', 'G:\\My Drive'],
    ['win32', 'C:\\Users\\ana', 'C:\\Users\\ana\\iCloudDrive\\lab', 'iCloud Drive', 'C:\\Users\\ana\\iCloudDrive'],
    ['win32', 'C:\\Users\\ana', 'C:\\Users\\ana\\Box\\lab', 'Box', 'C:\\Users\\ana\\Box'],
    ['darwin', '/Users/ana', '/Users/ana/Library/Mobile Documents/com~apple~CloudDocs/Lab', 'iCloud Drive', '/Users/ana/Library/Mobile Documents'],
    ['darwin', '/Users/ana', '/Users/ana/Library/CloudStorage/OneDrive-Personal/Lab', 'OneDrive', '/Users/ana/Library/CloudStorage/OneDrive-Personal'],
    ['darwin', '/Users/ana', '/Users/ana/Library/CloudStorage/GoogleDrive-ana@example.com/My Drive/Lab', 'Google Drive', '/Users/ana/Library/CloudStorage/GoogleDrive-ana@example.com'],
    ['darwin', '/Users/ana', '/Users/ana/Library/CloudStorage/Box-Box/Lab', 'Box', '/Users/ana/Library/CloudStorage/Box-Box'],
    ['darwin', '/Users/ana', '/Users/ana/Library/CloudStorage/SomeNewCloud/Lab', 'SomeNewCloud (a cloud folder in ~/Library/CloudStorage)', '/Users/ana/Library/CloudStorage/SomeNewCloud'],
    ['darwin', '/Users/ana', '/Users/ana/Google Drive/Lab', 'Google Drive', '/Users/ana/Google Drive'],
    ['darwin', '/Users/ana', '/Volumes/GoogleDrive/My Drive/Lab', 'Google Drive', '/Volumes/GoogleDrive'],
    ['linux', '/home/ana', '/home/ana/pCloudDrive/lab', 'pCloud', '/home/ana/pCloudDrive'],
    ['linux', '/home/ana', '/home/ana/Nextcloud/lab', 'Nextcloud', '/home/ana/Nextcloud'],
    ['linux', '/home/ana', '/home/ana/ownCloud/lab', 'ownCloud', '/home/ana/ownCloud'],
    ['linux', '/home/ana', '/home/ana/Sync/lab', 'Sync.com or Syncthing (their default folder)', '/home/ana/Sync'],
    ['linux', '/home/ana', '/home/ana/MEGA/lab', 'MEGA', '/home/ana/MEGA'],
  ];
  it.each(cases)('%s: %s', (platform, home, path, service, folder) => {
    expect(syncedFolderOf(path, platform, home)).toEqual({ service, folder });
    expect(classifyStorage({ platform, home, folder: path, mounts: [] })).toMatchObject({ kind: 'synced', service, detail: `inside the ${service} folder ${folder}` });
  });

  it.each([
    ['linux', '/home/ana', '/home/ana/projects/Box/lab'],
    ['linux', '/home/ana', '/home/ana/work/Sync/lab'],
    ['linux', '/home/ana', '/home/ana/dropbox-export/lab'],
    ['darwin', '/Users/ana', '/Users/ana/Library/Application Support/Latent Formulator'],
    ['win32', 'C:\\Users\\ana', 'C:\\Users\\ana\\AppData\\Roaming\\Latent Formulator'],
  ] as [NodeJS.Platform, string, string][])('%s: %s is not a synced folder (a generic name outside the home folder, or a look-alike)', (platform, home, path) => {
    expect(syncedFolderOf(path, platform, home)).toBeNull();
  });
});

describe('Windows network paths', () => {
  it.each([
    ['\\\\nas\\Chemistry\\lab', '\\\\nas\\Chemistry'],
    ['//nas/Chemistry/lab', '\\\\nas\\Chemistry'],
    ['\\\\?\\UNC\\nas\\Chemistry\\lab', '\\\\nas\\Chemistry'],
    ['\\\\?\\C:\\Users\\ana', null],
    ['\\\\.\\C:\\Users', null],
    ['C:\\Users\\ana', null],
  ])('%s → %s', (path, share) => {
    expect(uncShare(path)).toBe(share);
  });

  it('a UNC path and a drive mapped to a share are network; another drive letter is local', () => {
    const win = (folder: string): StorageFacts => ({ platform: 'win32', home: 'C:\\Users\\ana', folder, mounts: null, mappedDrives: new Map([['Z:', '\\\\nas\\Chemistry']]) });
    expect(classifyStorage(win('\\\\nas\\Chemistry\\lab'))).toMatchObject({ kind: 'network', detail: 'on the network share \\\\nas\\Chemistry' });
    expect(classifyStorage(win('z:\\lab'))).toMatchObject({ kind: 'network', detail: 'on the drive Z:, which is mapped to the network share \\\\nas\\Chemistry' });
    expect(classifyStorage(win('D:\\lab'))).toMatchObject({ kind: 'local', fileSystem: null });
  });
});

describe('on this machine', () => {
  it('the temporary folder is local, read from the real mount table', () => {
    const r = databaseStorageLocation(`${process.cwd()}/test.db`);
    expect(r.kind).toBe('local');
    if (process.platform === 'linux') expect(r.fileSystem).not.toBeNull();
  });

  it('a database not created yet is classified by the nearest folder that exists', () => {
    const r = databaseStorageLocation('/tmp/lf-not-there-yet/a/b/Dropbox/c/app.db');
    expect(r).toMatchObject({ kind: 'synced', service: 'Dropbox', folder: expect.stringMatching(/\/Dropbox\/c$/) });
  });
});

/** Real mounts (root on Linux; skipped elsewhere): the kernel's own mountinfo for a bind mount and a FUSE mount. */
describe.skipIf(!canMount())('real mounts on this machine', () => {
  it('a bind mount of a Dropbox folder is synced; a FUSE mount typed fuse.rclone is network', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lf-mounts-'));
    const undo: (() => void)[] = [];
    try {
      mkdirSync(join(root, 'Dropbox', 'lab'), { recursive: true });
      const bound = bindMount(join(root, 'Dropbox', 'lab'), join(root, 'srv'));
      if (typeof bound === 'string') throw new Error(bound);
      undo.push(bound.unmount);
      expect(databaseStorageLocation(join(bound.point, 'app.db'))).toMatchObject({ kind: 'synced', service: 'Dropbox', mountPoint: bound.point });
      const fuse = await mountFuse(join(root, 'cloud'), 'fuse.rclone', 'gdrive:');
      if (typeof fuse === 'string') throw new Error(fuse);
      undo.push(fuse.unmount);
      expect(databaseStorageLocation(join(fuse.point, 'lab', 'app.db'))).toMatchObject({ kind: 'network', fileSystem: 'fuse.rclone', mountPoint: fuse.point });
    } finally {
      for (const u of undo.reverse()) u();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
