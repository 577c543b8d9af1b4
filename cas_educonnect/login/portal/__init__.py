"""The "Indiquez votre profil" page in front of the CAS form, and the routes it leads to."""
