import { verifyCampaignLevels } from './testing/verify-campaign.js';

verifyCampaignLevels(7, 12);
