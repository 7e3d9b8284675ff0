/** Text every player sees comes in both languages the game ships: English and Brazilian Portuguese. */
import { z } from 'zod';

export const LANGUAGES = ['en', 'pt-BR'] as const;
export type Language = (typeof LANGUAGES)[number];

export const LocalizedTextSchema = z.strictObject({
  en: z.string().trim().min(1, 'English text'),
  'pt-BR': z.string().trim().min(1, 'Portuguese text'),
});
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;
