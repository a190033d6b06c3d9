// The writer thread of a SQLite event store (sqlite-writer.ts): its own connection to the database file,
// applying each group of appends it is sent in one transaction, in the order sent. Blocking here (the
// commit's wait for the disk) does not hold up the server's event loop.
import { parentPort, workerData } from 'node:worker_threads';
import type { AppendRequest } from './event-store.js';
import { applyGroup, appendStatements } from './sqlite-append.js';
import { openDatabase, type Durability } from './sqlite-database.js';
import type { WriterReply, WriterRequest } from './sqlite-writer.js';

const { file, durability } = workerData as { file: string; durability: Durability };
const db = openDatabase(file, durability);
const statements = appendStatements(db);

parentPort?.on('message', (message: WriterRequest | 'close') => {
  if (message === 'close') {
    db.close();
    parentPort?.close();
    return;
  }
  let reply: WriterReply;
  try {
    reply = { id: message.id, ok: true, ...applyGroup(db, statements, message.appends as AppendRequest[]) };
  } catch (error) {
    reply = { id: message.id, ok: false, error: error instanceof Error ? error.message : String(error), name: error instanceof Error ? error.name : 'Error' };
  }
  parentPort?.postMessage(reply);
});
