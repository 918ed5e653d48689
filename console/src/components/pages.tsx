/** A list endpoint read page by page (its `nextCursor`), with a "load more" button. */
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Client } from 'openapi-fetch';
import type { Answer, paths } from '../api/client';

/** The paths whose GET answers {items, nextCursor} and takes {limit, cursor}. */
type PagedPath = {
  [P in keyof paths]: Answer<P> extends { items: unknown[]; nextCursor: string | null } ? P : never;
}[keyof paths];
type Item<P extends PagedPath> = Answer<P> extends { items: (infer I)[] } ? I : never;

export function usePages<P extends PagedPath>(client: Client<paths>, path: P, limit = 20) {
  const { t } = useTranslation();
  type Page = Answer<P>;
  const q = useInfiniteQuery({
    queryKey: ['pages', path, limit],
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) => {
      // Every PagedPath takes the same query; the cast only forgets which path it is.
      const get = client.GET as unknown as (p: string, init: unknown) => Promise<{ data?: Page }>;
      const { data } = await get(path, { params: { query: { limit, ...(pageParam ? { cursor: pageParam } : {}) } }, signal });
      return data as Page;
    },
    getNextPageParam: (last: Page) => (last as { nextCursor: string | null }).nextCursor,
  });
  const items = q.data?.pages.flatMap((p) => (p as { items: Item<P>[] }).items);
  const more = q.hasNextPage ? (
    <button type="button" onClick={() => void q.fetchNextPage()} disabled={q.isFetchingNextPage}>
      {t('app.more')}
    </button>
  ) : null;
  return { items, error: q.error, more };
}
