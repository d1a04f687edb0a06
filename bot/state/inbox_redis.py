"""The inbox shared by the replicas: a Redis stream of the updates not yet answered.

- `{prefix}:inbox:{bot}`, a stream: one entry per update not yet answered
  (its id, its JSON); the entry's id is the Redis time it arrived.
- `{prefix}:inbox:{bot}:u:{update_id}`, a hash: the replica answering it
  (its `RedisLink` token) and its stream entry.
- `{prefix}:inbox:{bot}:done:{update_id}`: answered (or given up),
  remembered a window long, so that the update delivered again is not
  answered twice.

`{bot}` is the bot's id: update ids are a bot's own.

Each step is one Lua script, so two replicas never both take an update: the
one that journals it answers it. An update whose replica died (no heartbeat
for `ALIVE_SECONDS`) is another's to answer: `unfinished` takes it over, as
does `accept` when Telegram delivers it again.
"""

from __future__ import annotations

from collections.abc import Set

from redis.asyncio import Redis

from bot.state.inbox import Entry, Unfinished
from bot.state.redis_link import ALIVE_SECONDS

# Lua: is `owner` a live replica? (`now` and KEYS[...] of the replicas' heartbeats are in scope)
_ALIVE = """
local function alive(owner, replicas, now, alive_ms)
  if not owner then return false end
  local seen = redis.call('ZSCORE', replicas, owner)
  return seen and tonumber(seen) > now - alive_ms
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""

# KEYS: the stream, the update's hash, its done mark, the heartbeats.
# ARGV: update id, JSON, this replica's token, window (ms), ALIVE_SECONDS (ms), most entries kept.
# Returns 1 when this replica is to answer the update.
_ACCEPT = (
    _ALIVE
    + """
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
local owner = redis.call('HGET', KEYS[2], 'owner')
if owner then
  if owner == ARGV[3] or alive(owner, KEYS[4], now, tonumber(ARGV[5])) then return 0 end
  redis.call('HSET', KEYS[2], 'owner', ARGV[3])
  return 1
end
local entry = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[6], '*', 'id', ARGV[1], 'body', ARGV[2])
redis.call('HSET', KEYS[2], 'owner', ARGV[3], 'entry', entry)
redis.call('PEXPIRE', KEYS[2], math.max(tonumber(ARGV[4]), 1))
return 1
"""
)

# KEYS: the update's hash, its done mark, the stream. ARGV: window (ms).
_DONE = """
local entry = redis.call('HGET', KEYS[1], 'entry')
redis.call('SET', KEYS[2], '1', 'PX', math.max(tonumber(ARGV[1]), 1))
redis.call('DEL', KEYS[1])
if entry then redis.call('XDEL', KEYS[3], entry) end
"""

# KEYS: the stream, the heartbeats. ARGV: this replica's token, window (ms), ALIVE_SECONDS (ms), key prefix,
# most entries looked at, whether to take other replicas' (1) or only this one's (0).
# Takes the entries that no live replica answers: {'answer' | 'old', id, JSON, entry}.
_UNFINISHED = (
    _ALIVE
    + """
local window, taken = tonumber(ARGV[2]), {}
local ttl = math.max(window, 1)
for _, item in ipairs(redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', ARGV[5])) do
  local entry, fields, id, body = item[1], item[2], nil, nil
  for i = 1, #fields, 2 do
    if fields[i] == 'id' then id = fields[i + 1] elseif fields[i] == 'body' then body = fields[i + 1] end
  end
  local hash, done = ARGV[4] .. ':u:' .. id, ARGV[4] .. ':done:' .. id
  local owner = redis.call('HGET', hash, 'owner')
  if redis.call('EXISTS', done) == 1 then
    redis.call('XDEL', KEYS[1], entry)
  elseif owner == ARGV[1] or (ARGV[6] == '1' and not alive(owner, KEYS[2], now, tonumber(ARGV[3]))) then
    if tonumber(string.match(entry, '^(%d+)')) <= now - window then
      redis.call('XDEL', KEYS[1], entry)
      redis.call('DEL', hash)
      redis.call('SET', done, '1', 'PX', ttl)
      table.insert(taken, {'old', id, body, entry})
    else
      redis.call('HSET', hash, 'owner', ARGV[1], 'entry', entry)
      redis.call('PEXPIRE', hash, ttl)
      table.insert(taken, {'answer', id, body, entry})
    end
  end
end
return taken
"""
)

# The stream holds only updates not yet answered; this bounds it should nothing answer them.
MAX_ENTRIES = 100_000


class RedisInbox:
    """The replicas' inbox in Redis; `owner` is this replica's `RedisLink` token."""

    def __init__(
        self,
        redis: Redis,
        *,
        owner: str,
        window: float,
        bot: int = 0,
        prefix: str = "newsqa",
        alive: float = ALIVE_SECONDS,
    ) -> None:
        self.owner = owner
        self.window_ms = int(window * 1000)
        self.alive_ms = int(alive * 1000)
        self.prefix = f"{prefix}:inbox:{bot}"
        self.replicas_key = f"{prefix}:replicas"
        self._accept = redis.register_script(_ACCEPT)
        self._done = redis.register_script(_DONE)
        self._unfinished = redis.register_script(_UNFINISHED)

    async def accept(self, update_id: int, body: str) -> bool:
        """Journal an update; False when it is known already (answered, or being answered by a live replica)."""
        p = self.prefix
        taken = await self._accept(
            keys=[p, f"{p}:u:{update_id}", f"{p}:done:{update_id}", self.replicas_key],
            args=[update_id, body, self.owner, self.window_ms, self.alive_ms, MAX_ENTRIES],
        )
        return bool(taken)

    async def done(self, update_id: int) -> None:
        """The update is answered."""
        p = self.prefix
        await self._done(keys=[f"{p}:u:{update_id}", f"{p}:done:{update_id}", p], args=[self.window_ms])

    async def unfinished(self, handling: Set[int], *, take_over: bool = True) -> Unfinished:
        """Take the unfinished updates that no live replica answers (nor this one: `handling`), oldest first.

        Without `take_over`, only this replica's own: right after Redis came back, a live replica's
        heartbeat may still be old there.
        """
        taken = await self._unfinished(
            keys=[self.prefix, self.replicas_key],
            args=[self.owner, self.window_ms, self.alive_ms, self.prefix, 1000, int(take_over)],
        )
        result = Unfinished()
        for kind, update_id, body, entry in taken:
            item = Entry(int(update_id), _text(body), int(_text(entry).split("-")[0]) / 1000)
            if kind == b"old" or kind == "old":
                result.given_up.append(item)
            elif item.update_id not in handling:
                result.to_answer.append(item)
        result.to_answer.sort(key=lambda e: e.update_id)
        return result

    async def close(self) -> None:
        """Nothing to release (the Redis client is the bot's)."""


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
