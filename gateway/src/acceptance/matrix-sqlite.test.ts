// The acceptance matrix on SQLite (always run); see acceptance-matrix.ts for what it proves.
import { defineAcceptanceMatrix } from './acceptance-matrix';

defineAcceptanceMatrix('sqlite');
