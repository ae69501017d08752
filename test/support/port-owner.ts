import { existsSync } from 'node:fs';
import { readdir, readFile, readlink } from 'node:fs/promises';

/** `st` of a socket in LISTEN state, in the kernel's /proc/net/tcp tables. */
const LISTEN = '0A';

const listeningInodes = async (port: number): Promise<Set<string>> => {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const localPort = fields[1]?.split(':').at(-1);
      if (localPort && Number.parseInt(localPort, 16) === port && fields[3] === LISTEN && fields[9])
        inodes.add(fields[9]);
    }
  }
  return inodes;
};

/**
 * Whether the process `pid` itself listens on `port` (Linux), or undefined where there is no /proc to
 * tell. A free port picked by one test worker can be picked by another before either JVM binds it;
 * the one that loses fails only seconds later, and until then the winner answers on its port. Asking
 * who holds the socket tells the two apart the moment the answer comes. A process that is gone holds
 * nothing.
 */
export const listensOn = async (pid: number, port: number): Promise<boolean | undefined> => {
  if (!existsSync('/proc/self/fd')) return undefined;
  const descriptors = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  const inodes = await listeningInodes(port);
  for (const descriptor of descriptors) {
    const target = await readlink(`/proc/${pid}/fd/${descriptor}`).catch(() => '');
    const inode = target.match(/^socket:\[(\d+)\]$/)?.[1];
    if (inode && inodes.has(inode)) return true;
  }
  return false;
};
