import { Redis } from 'ioredis';

/**
 * A Redis connection for BullMQ. Workers block on Redis, so `maxRetriesPerRequest` must be
 * null for them; producers fail fast instead of queueing commands while Redis is down.
 */
export function createRedis(url: string, role: 'producer' | 'worker' = 'producer'): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: role === 'worker' ? null : 3,
    enableReadyCheck: true,
    lazyConnect: false,
  });
}
