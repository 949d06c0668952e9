import { targetDirectionChoices, targetKindChoices } from '../../../shared/model/input/choice';
import type { ColumnOption } from '../grid/types';

/** A target's kinds and directions in the planners' words: the input layer's one list (shared/model/input/choice.ts). */
export const kindOptions: ColumnOption[] = targetKindChoices.map((o) => ({ ...o }));
export const directionOptions: ColumnOption[] = targetDirectionChoices.map((o) => ({ ...o }));

export const labelOf = (options: ColumnOption[], value: string) => options.find((o) => o.value === value)?.label ?? value;
