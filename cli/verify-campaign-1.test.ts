import { verifyCampaignLevels } from './testing/verify-campaign.js';

verifyCampaignLevels(1, 6);
