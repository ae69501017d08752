/**
 * Intl objects are slow to build (locale negotiation, data loading) and never change once built, and
 * a run formats the same few locales and currencies thousands of times: one per distinct key is kept.
 * The keys come from customers' data, so at most `limit` are held; past it the cache starts over.
 */
export const cachedBy = <T>(build: (key: string) => T, limit = 256): ((key: string) => T) => {
  const held = new Map<string, T>();
  return (key) => {
    const found = held.get(key);
    if (found !== undefined) return found;
    if (held.size >= limit) held.clear();
    const built = build(key);
    held.set(key, built);
    return built;
  };
};
