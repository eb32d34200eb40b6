// Generated from server/src/domain/vocabulary.ts by `node bin/tsx.js scripts/ui-vocabulary.ts`:
// change the words there (where they are explained), then run it.
export const BUYING_STAGES = Object.freeze(['Target', 'Awareness', 'Consideration', 'Decision', 'Purchase']);
export const ENGAGEMENT_GRADES = Object.freeze(['A', 'B', 'C', 'D']);
export const FIT_BANDS = Object.freeze(['Strong', 'Moderate', 'Weak']);
export const REACH_LEVELS = Object.freeze(['Low', 'Medium', 'High']);
export const ROLES = Object.freeze(['Admin', 'Operations', 'Marketing', 'Sales', 'Insights', 'View Only']);
