import { languageJourney } from './language-journey.js';

languageJourney('en');
