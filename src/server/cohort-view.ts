// What a cohort looks like over the API: its join code only to its own instructor.
import type { Cohort, User } from '../store/account-store.js';

export function publicCohort(cohort: Cohort, viewer: User): Record<string, string> {
  // Join codes are the instructor's to hand out.
  return viewer.id === cohort.instructorId ? { id: cohort.id, name: cohort.name, joinCode: cohort.joinCode, createdAt: cohort.createdAt } : { id: cohort.id, name: cohort.name };
}
