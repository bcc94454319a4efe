import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';
import type { StorageLocation } from '../shared/api';

/**
 * Where a data folder is stored: on a local disk, on a network file system, or inside a folder a
 * sync client copies to the cloud. SQLite's write-ahead log keeps its index in shared memory
 * (`-shm`) and relies on byte-range locks, which network file systems do not give reliably, and
 * a sync client copies `-wal`/`-shm` files while the app writes them (and may bring back an old
 * copy): both can cost a person their data, so the app and the command line warn and offer to
 * move the database.
 *
 * What can be known, by platform:
 *   Linux    the mount holding the folder, from /proc/self/mountinfo (longest mount point above
 *            the folder after symbolic links are resolved): its file-system type says network
 *            (nfs, cifs, 9p, fuse.sshfs, fuse.rclone…) or local. A bind mount's origin (the
 *            mount's root) is checked for synced folders as well.
 *   macOS    the same from the `mount` command's output (smbfs, nfs, afpfs, webdav…), and synced
 *            folders by path (~/Library/CloudStorage/*, iCloud Drive's ~/Library/Mobile Documents).
 *            iCloud's "Desktop & Documents Folders" sync keeps ~/Desktop and ~/Documents at
 *            their usual paths: not detectable by path.
 *   Windows  UNC paths (\\server\share, \\?\UNC\…) by path; a drive letter mapped to a share
 *            (Z:) only through `net use`, which lists the mappings of this session (a drive
 *            mapped by another tool or by policy may not be listed; Windows' GetDriveType API
 *            would tell, but Node has no binding to it). Synced folders by path.
 * Everywhere: synced folders by the names their clients give them (OneDrive, Dropbox, Google
 * Drive, Box, pCloud, Nextcloud, ownCloud, Sync.com, MEGA…); a sync client set to another folder
 * name cannot be told by path.
 */

/** One mounted file system. */
export interface MountEntry {
  /** Where it is mounted. */
  mountPoint: string;
  /** The folder of the file system that appears there (`/` except for bind mounts and subvolumes). */
  root: string;
  fsType: string;
  /** What was mounted: a device, `server:/export`, `//server/share`, a FUSE program's name. */
  source: string;
}

/** Decodes the octal escapes the kernel writes in mountinfo paths (`\040` for a space). */
function unescapeMountPath(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_m, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/**
 * Parses Linux's /proc/self/mountinfo: `id parent major:minor root mountpoint options [optional
 * fields…] - fstype source superoptions`. Malformed lines are skipped.
 */
export function parseMountInfo(text: string): MountEntry[] {
  const mounts: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(' ');
    const dash = fields.indexOf('-');
    if (dash < 6 || fields.length < dash + 3) continue;
    mounts.push({ root: unescapeMountPath(fields[3]!), mountPoint: unescapeMountPath(fields[4]!), fsType: fields[dash + 1]!, source: unescapeMountPath(fields[dash + 2]!) });
  }
  return mounts;
}

/** Parses the output of macOS's (and the BSDs') `mount`: `SOURCE on MOUNTPOINT (TYPE, options…)`. */
export function parseBsdMountOutput(text: string): MountEntry[] {
  const mounts: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^(.+?) on (.+) \(([^,)]+)[,)]/.exec(line.trim());
    if (m) mounts.push({ source: m[1]!, mountPoint: m[2]!, fsType: m[3]!.trim(), root: '/' });
  }
  return mounts;
}

/** Parses `net use` on Windows: the drive letters mapped to shares (`Z:` → `\\server\share`). */
export function parseNetUse(text: string): Map<string, string> {
  const drives = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /(?:^|\s)([A-Za-z]:)\s+(\\\\[^\s]+)/.exec(line);
    if (m) drives.set(m[1]!.toUpperCase(), m[2]!);
  }
  return drives;
}

/** The mount holding `path` (an absolute, resolved POSIX path): the longest mount point above it; the last mounted wins a tie. */
export function mountHolding(path: string, mounts: readonly MountEntry[]): MountEntry | null {
  let best: MountEntry | null = null;
  for (const m of mounts) {
    const point = m.mountPoint.length > 1 ? m.mountPoint.replace(/\/+$/, '') : m.mountPoint;
    const inside = point === '/' || path === point || path.startsWith(`${point}/`);
    if (inside && (!best || point.length >= best.mountPoint.replace(/\/+$/, '').length)) best = m;
  }
  return best;
}

/** File-system types that live on another machine, with what they are called. */
const NETWORK_TYPES: Record<string, string> = {
  nfs: 'NFS',
  nfs4: 'NFS',
  cifs: 'SMB (Windows file sharing)',
  smb3: 'SMB (Windows file sharing)',
  smb2: 'SMB (Windows file sharing)',
  smbfs: 'SMB (Windows file sharing)',
  smb: 'SMB (Windows file sharing)',
  afpfs: 'AFP (Apple file sharing)',
  webdav: 'WebDAV',
  davfs: 'WebDAV',
  ncpfs: 'NetWare',
  ncp: 'NetWare',
  afs: 'AFS',
  coda: 'Coda',
  ceph: 'Ceph',
  glusterfs: 'GlusterFS',
  lustre: 'Lustre',
  gpfs: 'IBM Spectrum Scale (GPFS)',
  beegfs: 'BeeGFS',
  ftp: 'FTP',
  '9p': 'a 9p share (a Windows drive seen from WSL, or a virtual machine\'s shared folder)',
  virtiofs: "a virtual machine's shared folder (virtiofs)",
  vboxsf: "a VirtualBox shared folder",
  vmhgfs: 'a VMware shared folder',
  prl_fs: 'a Parallels shared folder',
};

/** FUSE programs (type `fuse.<program>`) whose files are on another machine or in the cloud. */
const NETWORK_FUSE: Record<string, string> = {
  sshfs: 'sshfs (files over SSH)',
  rclone: 'an rclone cloud mount',
  s3fs: 'an S3 bucket (s3fs)',
  gcsfuse: 'a Google Cloud Storage bucket (gcsfuse)',
  goofys: 'an S3 bucket (goofys)',
  'mountpoint-s3': 'an S3 bucket (mountpoint-s3)',
  blobfuse: 'an Azure blob container (blobfuse)',
  blobfuse2: 'an Azure blob container (blobfuse2)',
  davfs: 'WebDAV',
  davfs2: 'WebDAV',
  onedriver: 'OneDrive (onedriver)',
  'google-drive-ocamlfuse': 'Google Drive (google-drive-ocamlfuse)',
  'gvfsd-fuse': 'a GNOME network location (gvfs: SMB, SFTP, Google Drive…)',
  'kio-fuse': 'a KDE network location (kio-fuse)',
  'ceph-fuse': 'Ceph',
  glusterfs: 'GlusterFS',
  juicefs: 'JuiceFS',
  seaweedfs: 'SeaweedFS',
  mfs: 'MooseFS',
  lizardfs: 'LizardFS',
  curlftpfs: 'FTP (curlftpfs)',
  httpdirfs: 'HTTP (httpdirfs)',
  smbnetfs: 'SMB (smbnetfs)',
  afpfs: 'AFP (afpfs-ng)',
  pcloud: 'pCloud Drive',
  pclouddrive: 'pCloud Drive',
  'dropbox-fuse': 'Dropbox',
};

/** What a file-system type says about where the files are (null: a local disk, as far as the type tells). */
export function networkFileSystem(fsType: string): string | null {
  const type = fsType.toLowerCase();
  if (NETWORK_TYPES[type]) return NETWORK_TYPES[type]!;
  const fuse = /^fuse\.(.+)$/.exec(type);
  if (fuse) return NETWORK_FUSE[fuse[1]!] ?? null;
  return null;
}

/** One known synced folder found in a path. */
export interface SyncedFolder {
  service: string;
  /** The synced folder itself (the path up to and including the folder the client syncs). */
  folder: string;
}

interface SyncRule {
  service: string | ((segment: string) => string);
  /** Matches a path segment (compared case-insensitively: macOS and Windows names are). */
  name: RegExp;
  /** Only directly inside the home folder (for generic names such as "Box" or "Sync"). */
  inHome?: boolean;
  /** The segments that must come right before it (e.g. Library/CloudStorage). */
  after?: readonly string[];
}

const CLOUD_STORAGE_PROVIDERS: [RegExp, string][] = [
  [/^onedrive/i, 'OneDrive'],
  [/^dropbox/i, 'Dropbox'],
  [/^googledrive/i, 'Google Drive'],
  [/^box/i, 'Box'],
  [/^pcloud/i, 'pCloud'],
  [/^nextcloud/i, 'Nextcloud'],
];

const SYNC_RULES: readonly SyncRule[] = [
  // macOS File Provider folders: every cloud client that uses Apple's API syncs one here.
  { after: ['Library', 'CloudStorage'], name: /^.+$/, service: (s) => CLOUD_STORAGE_PROVIDERS.find(([re]) => re.test(s))?.[1] ?? `${s} (a cloud folder in ~/Library/CloudStorage)` },
  { after: ['Library'], name: /^Mobile Documents$/i, service: 'iCloud Drive' },
  { name: /^iCloud ?Drive$/i, service: 'iCloud Drive' },
  { name: /^OneDrive( - .+|-.+)?$/i, service: 'OneDrive' },
  { name: /^Dropbox( \(.+\))?$/i, service: 'Dropbox' },
  { name: /^Google Drive$/i, service: 'Google Drive' },
  { name: /^My Drive$/i, service: 'Google Drive' },
  { after: ['Volumes'], name: /^GoogleDrive$/i, service: 'Google Drive' },
  { name: /^GoogleDrive-.+$/i, service: 'Google Drive' },
  { name: /^Box Sync$/i, service: 'Box' },
  { name: /^Box$/i, service: 'Box', inHome: true },
  { name: /^pCloud ?Drive$/i, service: 'pCloud' },
  { name: /^pCloud Sync$/i, service: 'pCloud' },
  { name: /^Nextcloud$/i, service: 'Nextcloud' },
  { name: /^ownCloud$/i, service: 'ownCloud' },
  { name: /^Sync$/i, service: "Sync.com or Syncthing (their default folder)", inHome: true },
  { name: /^MEGA$/i, service: 'MEGA', inHome: true },
  { name: /^MEGAsync$/i, service: 'MEGA' },
  { name: /^Resilio Sync$/i, service: 'Resilio Sync' },
  { name: /^Yandex\.Disk$/i, service: 'Yandex Disk' },
  { name: /^Creative Cloud Files/i, service: 'Adobe Creative Cloud' },
];

/** The path's folder names, without the root (`/`, `C:\`, or a UNC path's `\\` before its server). */
function segments(path: string, platform: NodeJS.Platform): string[] {
  return path.split(platform === 'win32' ? /[\\/]+/ : '/').filter((p) => p.length > 0);
}

/** The path up to and including its `index`-th folder name (the synced folder itself). */
function prefixThrough(path: string, index: number, platform: NodeJS.Platform): string {
  const names = platform === 'win32' ? /[^\\/]+/g : /[^/]+/g;
  let k = 0;
  for (let m = names.exec(path); m; m = names.exec(path)) if (k++ === index) return path.slice(0, m.index + m[0].length);
  return path;
}

const same = (a: string, b: string, platform: NodeJS.Platform) => (platform === 'linux' ? a === b : a.toLowerCase() === b.toLowerCase());

/** The known synced folder `path` is in, by its name (and, for generic names, its place in the home folder); null if none. */
export function syncedFolderOf(path: string, platform: NodeJS.Platform, home: string): SyncedFolder | null {
  const parts = segments(path, platform);
  const homeParts = segments(home, platform);
  for (let i = 0; i < parts.length; i++) {
    const segment = parts[i]!;
    for (const rule of SYNC_RULES) {
      if (!rule.name.test(segment)) continue;
      const after = rule.after ?? [];
      if (i < after.length || !after.every((a, k) => same(parts[i - after.length + k]!, a, platform))) continue;
      if (rule.inHome && !(i === homeParts.length && homeParts.every((h, k) => same(parts[k]!, h, platform)))) continue;
      return { service: typeof rule.service === 'string' ? rule.service : rule.service(segment), folder: prefixThrough(path, i, platform) };
    }
  }
  return null;
}

/** A Windows path on another machine by its form alone: `\\server\share\…`, `//server/share/…`, `\\?\UNC\server\share\…`. */
export function uncShare(path: string): string | null {
  const m = /^(?:\\\\\?\\UNC\\|[\\/]{2}(?![?.][\\/]))([^\\/]+)[\\/]([^\\/]+)/i.exec(path);
  return m ? `\\\\${m[1]}\\${m[2]}` : null;
}

/** What is known about a folder's storage, gathered by `readStorageFacts` (or written by a test). */
export interface StorageFacts {
  platform: NodeJS.Platform;
  home: string;
  /** The folder, absolute, after symbolic links were resolved (as far as it exists). */
  folder: string;
  /** Mounted file systems (Linux: mountinfo; macOS: `mount`); null when they could not be read (Windows). */
  mounts: readonly MountEntry[] | null;
  /** Windows: drive letters mapped to network shares (`net use`). */
  mappedDrives?: ReadonlyMap<string, string>;
}

/** Classifies a folder from the facts gathered about it: network first (the file system), then synced (its path). */
export function classifyStorage(facts: StorageFacts): StorageLocation {
  const { platform, folder } = facts;
  const mount = platform === 'win32' || !facts.mounts ? null : mountHolding(folder, facts.mounts);
  const base = { folder, fileSystem: mount?.fsType ?? null, mountPoint: mount?.mountPoint ?? null };
  const at = mount ? ` (${mount.fsType}${mount.source && mount.source !== 'none' ? ` ${mount.source}` : ''} mounted at ${mount.mountPoint})` : '';

  if (platform === 'win32') {
    const share = uncShare(folder);
    if (share) return { ...base, kind: 'network', service: 'SMB (Windows file sharing)', detail: `on the network share ${share}` };
    const drive = /^([A-Za-z]:)/.exec(folder)?.[1]?.toUpperCase();
    const mapped = drive ? facts.mappedDrives?.get(drive) : undefined;
    if (mapped) return { ...base, kind: 'network', service: 'SMB (Windows file sharing)', detail: `on the drive ${drive}, which is mapped to the network share ${mapped}` };
  }
  if (mount) {
    const network = networkFileSystem(mount.fsType);
    if (network) return { ...base, kind: 'network', service: network.replace(/ \(.*\)$/, ''), detail: `on a network file system: ${network}${at}` };
  }
  const synced = syncedFolderOf(folder, platform, facts.home);
  if (synced) return { ...base, kind: 'synced', service: synced.service, detail: `inside the ${synced.service} folder ${synced.folder}` };
  // A bind mount shows another folder's files here: that folder may be a synced one.
  if (mount && mount.root !== '/' && platform === 'linux') {
    const origin = posix.join(mount.root, posix.relative(mount.mountPoint, folder));
    const viaBind = syncedFolderOf(origin, platform, facts.home);
    if (viaBind) return { ...base, kind: 'synced', service: viaBind.service, detail: `inside the ${viaBind.service} folder ${viaBind.folder}, mounted at ${mount.mountPoint} (a bind mount)` };
  }
  if (mount) {
    const fuse = /^fuse\.(.+)$/.exec(mount.fsType)?.[1];
    const note = fuse ? `; a FUSE file system (${fuse}) this app does not know: if it keeps its files on another machine or in the cloud, move the database to a local folder` : '';
    return { ...base, kind: 'local', service: null, detail: `a local folder${at}${note}` };
  }
  return { ...base, kind: 'local', service: null, detail: platform === 'win32' ? 'a local folder (a drive letter not mapped to a network share, and no synced folder in the path)' : 'a local folder (no synced folder in the path; the mounts could not be read)' };
}

/** The path with symbolic links resolved as far as it exists (a database not yet created is classified by its folder). */
function resolveExisting(path: string, platform: NodeJS.Platform): string {
  const p = platform === 'win32' ? win32 : posix;
  let head = p.resolve(path);
  const tail: string[] = [];
  for (;;) {
    try {
      return p.join(realpathSync.native(head), ...tail.reverse());
    } catch {
      const parent = p.dirname(head);
      if (parent === head) return p.resolve(path);
      tail.push(p.basename(head));
      head = parent;
    }
  }
}

/** Gathers the facts about `folder` on this machine (reads /proc/self/mountinfo, or runs `mount` / `net use`). */
export function readStorageFacts(folder: string, platform: NodeJS.Platform = process.platform): StorageFacts {
  const facts: StorageFacts = { platform, home: homedir(), folder: resolveExisting(folder, platform), mounts: null };
  try {
    if (platform === 'linux') facts.mounts = parseMountInfo(readFileSync('/proc/self/mountinfo', 'utf8'));
    else if (platform === 'darwin') facts.mounts = parseBsdMountOutput(execFileSync('/sbin/mount', { encoding: 'utf8', timeout: 2000 }));
    else if (platform === 'win32') facts.mappedDrives = parseNetUse(execFileSync('net', ['use'], { encoding: 'utf8', timeout: 2000, windowsHide: true }));
  } catch {
    // Unknown mounts: the path is still classified.
  }
  return facts;
}

/** Where the folder holding `databasePath` is stored, on this machine. */
export function databaseStorageLocation(databasePath: string): StorageLocation {
  if (databasePath === ':memory:') return { kind: 'local', detail: 'in memory (tests)', folder: ':memory:', fileSystem: null, mountPoint: null, service: null };
  const p = process.platform === 'win32' ? win32 : posix;
  return classifyStorage(readStorageFacts(p.dirname(p.resolve(databasePath))));
}
