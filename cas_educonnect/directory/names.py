"""French names for the synthetic academy, most frequent first (collisions are realistic)."""

SURNAMES = (
    (
        "Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel Lefebvre Leroy Roux "
        "David "
        "Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller Lefèvre Faure André "
        "Mercier Blanc Guérin Boyer Garnier Chevalier François Legrand Gauthier Garcia Perrin Robin Clément Morin "
        "Nicolas Henry Roussel Mathieu Gautier Masson Marchand Duval Denis Dumont Marie Lemaire Noël Meyer Dufour "
        "Meunier Brun Blanchard Giraud Joly Rivière Lucas Brunet Gaillard Barbier Arnaud Martínez Gérard Roche Renard "
        "Schmitt Roy Leroux Colin Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud Dumas Lacroix Olivier Philippe "
        "Bourgeois Pierre Benoît Rey Leclerc Payet Rolland Leclercq Guillaume Lecomte Lopez Jean Dupuy Guillot Hubert "
        "Berger Carpentier Sánchez Dupuis Moulin Louis Deschamps Huet Vasseur Perez Boucher Fleury Royer Klein Jacquet "
        "Adam Paris Poirier Marty Aubry Guyot Carré Charles Renault Charpentier Ménard Maillard Baron Bertin Bailly "
        "Hervé Schneider Fernandez Collet Léger Bouvier Julien Prévost Millet Perrot Daniel Cousin Germain Breton "
        "Besson Langlois Rémy Pelletier Lévêque Perrier Leblanc Barré Lebrun Marchal Weber Mallet Hamon Boulanger "
        "Jacob Monnier Michaud Rodriguez Guichard Gillet Étienne Grondin Poulain Tessier Chevallier Collin Chauvin "
        "Bouchet Gay Lemaître Bénard Maréchal Humbert Reynaud Antoine Hoarau Perret Barthélemy Cordier Pichon Lejeune "
        "Gilbert Lamy Delaunay Pasquier Carlier Laporte Nguyen Traoré Diallo Benali Kowalski Øster Le_Gall Le_Roux "
        "Le_Goff Da_Silva D'Almeida N'Diaye De_La_Fontaine Ould-Ahmed Saint-Martin"
    )
    .replace("_", " ")
    .split()
)
GIRLS = (
    "Emma Louise Jade Alice Chloé Lina Léa Rose Anna Mia Inès Ambre Julia Mila Léna Manon Juliette Zoé Lou Camille "
    "Agathe Sarah Eva Nina Romane Louna Iris Lucie Margaux Adèle Clémence Héloïse Maëlys Anaïs Sofia Yasmine Aïcha "
    "Marie-Claire Anne-Sophie Noémie"
).split()
BOYS = (
    "Gabriel Léo Raphaël Louis Arthur Jules Adam Maël Lucas Hugo Noah Liam Gabin Sacha Paul Nathan Aaron Mohamed "
    "Ethan Tom Éden Léon Noé Tiago Théo Isaac Marius Victor Martin Nino Axel Timéo Baptiste Malo Rayan Côme Yanis "
    "Jean-Baptiste Pierre-Louis Loïc"
).split()
MOTHERS = (
    "Marie Nathalie Isabelle Sylvie Catherine Sandrine Valérie Christine Céline Stéphanie Aurélie Émilie Julie "
    "Sophie Laetitia Virginie Caroline Élodie Karine Audrey Hélène Fatima Mélanie Anne Claire Laure Nadia Élise "
    "Marie-Pierre Anne-Laure"
).split()
FATHERS = (
    "Philippe Nicolas Christophe Stéphane Sébastien Laurent Frédéric David Olivier Julien Jérôme Thierry Éric "
    "Pascal Franck Vincent Cédric Mickaël Arnaud Guillaume François Karim Mehdi Jean Pierre Yann Grégory Ludovic "
    "Jean-Pierre Jean-François"
).split()
