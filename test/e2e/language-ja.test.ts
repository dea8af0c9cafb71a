import { languageJourney } from './language-journey.js';

languageJourney('ja');
