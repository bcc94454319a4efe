import type { Database } from 'better-sqlite3';
import type { Brief } from '../../../shared/briefs/brief';

/** Saved design briefs and their versions (schema version 8). */

export interface StoredBrief {
  id: number;
  name: string;
  createdAt: string;
  updatedAt: string;
  /** The newest version's number, rules and note. */
  version: number;
  brief: Brief;
  note: string;
  versions: number;
}

export interface StoredBriefVersion {
  version: number;
  createdAt: string;
  note: string;
  brief: Brief;
}

interface Row {
  id: number;
  name: string;
  created_at: string;
  updated_at: string;
  version: number;
  body: string;
  note: string;
  versions: number;
}

const SELECT = `
  SELECT b.id, b.name, b.created_at, b.updated_at, v.version, v.body, v.note,
         (SELECT count(*) FROM brief_versions c WHERE c.brief_id = b.id) AS versions
    FROM briefs b JOIN brief_versions v ON v.brief_id = b.id
   WHERE v.version = (SELECT max(version) FROM brief_versions m WHERE m.brief_id = b.id)`;

const toStored = (r: Row): StoredBrief => ({ id: r.id, name: r.name, createdAt: r.created_at, updatedAt: r.updated_at, version: r.version, brief: JSON.parse(r.body) as Brief, note: r.note, versions: r.versions });

export function listBriefs(db: Database): StoredBrief[] {
  return (db.prepare(`${SELECT} ORDER BY b.name COLLATE NOCASE`).all() as Row[]).map(toStored);
}

export function getBrief(db: Database, id: number): StoredBrief | null {
  const row = db.prepare(`${SELECT} AND b.id = ?`).get(id) as Row | undefined;
  return row ? toStored(row) : null;
}

export function findBriefByName(db: Database, name: string): StoredBrief | null {
  const row = db.prepare(`${SELECT} AND b.name = ? COLLATE NOCASE`).get(name.trim()) as Row | undefined;
  return row ? toStored(row) : null;
}

export function getBriefVersions(db: Database, id: number): StoredBriefVersion[] {
  return (db.prepare(`SELECT version, created_at, note, body FROM brief_versions WHERE brief_id = ? ORDER BY version`).all(id) as { version: number; created_at: string; note: string; body: string }[]).map((r) => ({
    version: r.version,
    createdAt: r.created_at,
    note: r.note,
    brief: JSON.parse(r.body) as Brief,
  }));
}

/**
 * Saves a brief under its name: a new brief at version 1, or a new version of the brief of that
 * name when its rules changed (unchanged rules add nothing). Returns the brief's id and whether a
 * version was added. Run inside the caller's write transaction.
 */
export function saveBrief(db: Database, name: string, brief: Brief, note: string, now: string): { id: number; added: boolean } {
  const existing = findBriefByName(db, name);
  const body = JSON.stringify(brief);
  if (!existing) {
    const id = Number(db.prepare(`INSERT INTO briefs (name, created_at, updated_at) VALUES (?, ?, ?)`).run(name.trim(), now, now).lastInsertRowid);
    db.prepare(`INSERT INTO brief_versions (brief_id, version, created_at, note, body) VALUES (?, 1, ?, ?, ?)`).run(id, now, note, body);
    return { id, added: true };
  }
  if (JSON.stringify(existing.brief) === body) return { id: existing.id, added: false };
  db.prepare(`INSERT INTO brief_versions (brief_id, version, created_at, note, body) VALUES (?, ?, ?, ?, ?)`).run(existing.id, existing.version + 1, now, note, body);
  db.prepare(`UPDATE briefs SET updated_at = max(updated_at, ?) WHERE id = ?`).run(now, existing.id);
  return { id: existing.id, added: true };
}

export function deleteBrief(db: Database, id: number): boolean {
  return db.prepare(`DELETE FROM briefs WHERE id = ?`).run(id).changes > 0;
}
