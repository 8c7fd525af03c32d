import {
  type NoticeUpdate,
  noticeContentSchema,
  updateContentSchema,
  type VersionSummary,
} from '../../../shared/contracts/notice-site.ts';
import type { UpdateRow } from './updates.repository.ts';
import type { VersionRow } from './versions.repository.ts';

/** Pure steps from the notice's rows to what the staff API answers. */

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export function versionSummary(row: VersionRow): VersionSummary {
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    author: row.author,
    authorId: row.author_id,
    approvedBy: row.approved_by,
    approvedAt: iso(row.approved_at),
    publishedBy: row.published_by,
    publishedAt: iso(row.published_at),
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}

/** A version with its texts. */
export function versionOf(row: VersionRow) {
  return { ...versionSummary(row), content: noticeContentSchema.parse(row.content) };
}
export type VersionWithContent = ReturnType<typeof versionOf>;

export function updateOf(row: UpdateRow): NoticeUpdate {
  return {
    id: row.id,
    status: row.status,
    content: updateContentSchema.parse(row.content),
    author: row.author,
    authorId: row.author_id,
    approvedBy: row.approved_by,
    approvedAt: iso(row.approved_at),
    publishedBy: row.published_by,
    publishedAt: iso(row.published_at),
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}
