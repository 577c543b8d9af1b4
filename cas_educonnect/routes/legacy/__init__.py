"""The legacy "Autres publics" route: imported CAS accounts, their sunset, and the switch to EduConnect."""
