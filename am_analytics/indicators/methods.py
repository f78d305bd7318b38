"""Definitions of the indicators in French, for the report's method page, notebooks and the Excel export."""

from __future__ import annotations

from dataclasses import dataclass

from am_analytics.vocabulary import ACTIVE_RATE


@dataclass(frozen=True)
class Method:
    """One indicator's definition: a short title and a paragraph a reader can follow."""

    title: str
    text: str


METHODS: dict[str, Method] = {
    # what is counted, said once: every page counts contracts; the official targets speak of posts
    "definitions": Method(
        "Définitions : contrat, poste, ETP",
        "Contrat : le contrat d'aide à l'emploi d'un assistant médical qu'un médecin signe avec sa CPAM ; c'est "
        "l'unité que compte ce rapport (contrats signés, contrats actifs). Poste : l'unité des objectifs officiels "
        "(« 4 000 postes », « 10 000 postes ») ; un contrat signé finance un poste d'assistant, et les objectifs "
        "en postes sont suivis par le nombre de contrats signés, comme le fait l'Assurance Maladie. ETP "
        "(équivalent temps plein) : la quotité d'un contrat (1/3, 1/2 ou 1, davantage avec un deuxième "
        "assistant) ; deux contrats à mi-temps font un ETP.",
    ),
    "sources": Method(
        "Sources des indicateurs",
        "Chaque tableau indique d'où viennent ses données : données de démonstration synthétiques "
        "(générées par le paquet et calibrées sur les chiffres publiés), extraction réelle des contrats, "
        "ou tables de référence publiées (objectifs, chiffres publiés, populations, barèmes), citées avec "
        "leur source. Tous les indicateurs sont calculés à une date d'arrêté.",
    ),
    "contrats_actifs": Method(
        "Contrats signés et actifs",
        "Un contrat est compté comme signé à une date s'il a été signé ce jour-là ou avant. Il est actif à "
        "cette date s'il est signé et n'a pas pris fin ce jour-là ou avant : un contrat dont la date de fin "
        "est la date d'arrêté n'est plus actif à cette date. Les ETP actifs sont la somme des quotités des "
        "contrats actifs (1/3, 1/2, 1, et 3/2 ou 2 avec un deuxième assistant).",
    ),
    "objectifs": Method(
        "Avancement des objectifs",
        "Les objectifs en postes sont comparés au cumul des contrats signés depuis le début du dispositif, "
        "l'objectif en ETP au cumul des quotités de ces contrats, comme les chiffres publiés par l'Assurance "
        "Maladie. La date d'atteinte est la date de signature du contrat qui fait franchir l'objectif. Le "
        "retard (ou l'avance, négative) est l'écart en mois entre l'échéance et cette date ; pour un objectif "
        "non atteint dont l'échéance est passée, c'est l'écart entre l'échéance et la date d'arrêté.",
    ),
    "projection": Method(
        "Projection de la date d'atteinte",
        "Une droite des moindres carrés est ajustée sur les signatures mensuelles des 12 derniers mois "
        "complets (au moins 6 mois sont nécessaires). Les signatures futures suivent cette droite (jamais "
        "en dessous de zéro) et s'ajoutent au cumul ; la date projetée est le premier jour où le cumul "
        "atteint l'objectif, les signatures d'un mois étant réparties également sur ses jours. La "
        "fourchette vient de l'intervalle de confiance à 95 % de la droite (loi de Student, à partir des "
        "résidus). Aucune date n'est projetée au-delà de 10 ans : une tendance ne dit rien si loin.",
    ),
    "perspectives": Method(
        "Perspectives à 2029 (projection)",
        "Les signatures mensuelles futures suivent la droite des moindres carrés ajustée sur les 12 derniers mois "
        "complets, avec la bande de l'intervalle de confiance à 95 % de la droite (jamais en dessous de zéro) ; "
        "sans au moins 6 mois complets, la projection n'est pas calculée. Chaque contrat projeté est signé le 15 du "
        "mois, avec les quotités des contrats signés sur les 12 derniers mois. L'aide attendue de chaque année "
        "civile est celle des barèmes en vigueur (convention de 2024, barème « standard » de patientèle : un "
        "plancher) appliqués aux années de contrat des contrats déjà signés et des contrats projetés, affectée à "
        "l'année où commence l'année de contrat. Aucune fin de contrat n'est supposée après la date d'arrêté : le "
        "nombre d'années de contrat est un plafond. Les options « deuxième assistant » n'ont pas de montant publié : "
        "leurs années sont comptées dans la couverture, jamais chiffrées. Ce sont des projections d'une tendance, "
        "pas des prévisions.",
    ),
    "messages": Method(
        "Messages de « L'essentiel »",
        "Chaque message applique une règle écrite à l'avance aux tableaux publiés et nomme l'indicateur dont il "
        "vient. Objectifs : part atteinte, date d'atteinte et écart à l'échéance. Projection : date projetée et "
        "fourchette, comparées à la dernière échéance de l'objectif ; « non calculable » quand la série a moins de "
        "6 mois complets ou que l'objectif n'est pas atteint dans l'horizon de 10 ans. Rythme : les signatures des "
        "12 derniers mois ne sont dites supérieures ou inférieures aux 12 précédentes que si l'écart dépasse 5 % et "
        "si |a − b| / √(a + b) ≥ 1,96 (deux comptages de Poisson, 95 %) ; sinon le rythme est dit comparable. "
        "Territoires : régions en tête et dernière parmi celles dont le taux est publié. Profils et formation : un "
        "écart n'est affirmé que si les intervalles de confiance à 95 % sont disjoints. Un chiffre masqué n'est "
        "jamais écrit : le message dit qu'il est sous le secret statistique ; une part calculée sur une base trop "
        "faible (« n.s. » dans les tableaux et les graphiques) est dite non publiée pour cette raison, et une part "
        "sans base (aucun assistant n'a encore atteint son échéance) est dite sans objet.",
    ),
    "comparaison_publiee": Method(
        "Comparaison avec les chiffres publiés",
        "Pour chaque chiffre national publié jusqu'à la date d'arrêté, la valeur des données à la même date "
        "est rapprochée de la valeur publiée, avec son qualificatif (exact, environ, plus de…), sa source, "
        "l'écart (données moins chiffre publié) et l'écart relatif. Les sources se contredisent parfois : "
        "chaque chiffre est montré avec sa date et sa source.",
    ),
    "territoires": Method(
        "Indicateurs territoriaux",
        "Par région et par département, tous présents même sans contrat : contrats signés et actifs, ETP "
        f"actifs, {ACTIVE_RATE.in_sentence} (populations légales 2023) et contrats actifs de "
        "médecine générale pour 100 généralistes estimés. Le nombre de généralistes n'est pas publié par "
        "département : il est estimé par la densité de généralistes au 1er janvier 2025 multipliée par la "
        "population, et présenté comme une estimation. Mayotte n'a pas de population légale 2023 : ses taux "
        "restent non calculés, jamais nuls. La région d'un contrat est celle de son département, de sorte "
        "que les régions sont la somme de leurs départements et la France la somme des régions. La "
        "croissance sur 12 mois rapporte les contrats actifs à la date d'arrêté à ceux actifs 12 mois plus "
        "tôt ; celle des signatures rapporte les 12 derniers mois aux 12 mois précédents.",
    ),
    "profils": Method(
        "Profils d'origine des assistants",
        "Parts de chaque profil parmi les contrats signés, par région, avec un intervalle de confiance de "
        "Wilson à 95 %. L'indépendance entre région et profil est testée par un khi-deux de Pearson, hors "
        "profil non renseigné, avec le V de Cramér comme mesure d'intensité ; le test est signalé peu "
        "fiable quand plus de 20 % des cellules ont un effectif attendu inférieur à 5 ou qu'une cellule a "
        "un effectif attendu inférieur à 1.",
    ),
    "repartitions": Method(
        "Spécialités, zones et quotités",
        "Parts de chaque modalité parmi les contrats signés, au total et par année (ou trimestre) de "
        "signature, avec intervalle de Wilson à 95 %. Les valeurs manquantes forment une modalité « non "
        "renseigné » ; une part parmi les seules valeurs renseignées est aussi donnée.",
    ),
    "financement": Method(
        "Aide financière attendue",
        "Chaque contrat est découpé en années de contrat à partir de sa date de signature. Le montant de "
        "chaque année vient des barèmes publiés : régime en vigueur au début de l'année de contrat (avenant "
        "7, puis convention de 2024 à partir du 22 juin 2024, la revalorisation s'appliquant à la date "
        "anniversaire), quotité et rang de l'année (1re, 2e, 3e et suivantes). La tranche de patientèle "
        "n'étant pas connue, le barème « standard » est supposé. Seules les années commencées à la date "
        "d'arrêté sont comptées ; une année interrompue par la fin du contrat l'est au prorata des jours. "
        "Le montant est affecté à l'année civile où commence l'année de contrat. Les montants des options "
        "« deuxième assistant » n'ont pas été trouvés : ces années ne sont pas estimées mais comptées dans "
        "la couverture (part des années de contrat dont le barème est connu). L'aide par ETP rapporte le "
        "montant attendu aux ETP-années financées.",
    ),
    "formation": Method(
        "Formation des assistants",
        "Un assistant doit être certifié (CQP obtenu, ou diplôme d'État avec formation d'adaptation) dans "
        "les 3 ans suivant sa prise de fonction, 2 ans pour les contrats signés à partir du 22 juin 2024. "
        "À défaut de date de prise de fonction, la date de signature est utilisée. Sont en retard les "
        "contrats actifs dont l'échéance est passée et dont l'assistant n'est pas certifié ; une formation "
        "non renseignée est comptée à part, jamais supposée.",
    ),
    "enquete": Method(
        "Enquête de satisfaction",
        "Les parts sont pondérées par les poids de redressement, parmi les répondants à chaque question. "
        "Leurs intervalles de confiance à 95 % (Wilson) utilisent la taille d'échantillon effective de Kish, "
        "(Σw)²/Σw², plus petite que le nombre de répondants quand les poids sont dispersés (effet de plan). "
        "Les comparaisons entre médecins et assistants ou entre profils utilisent un khi-deux sur les "
        "effectifs ramenés à cette taille effective : une indication, fragile sous 30 répondants. Quand "
        "seuls les tableaux agrégés d'un institut sont disponibles, les intervalles sont calculés sur les "
        "bases non pondérées publiées et sont donc probablement trop étroits. Les chiffres réels de "
        "l'enquête BVA de février 2021 ne sont pas publics.",
    ),
    "engagements": Method(
        "Engagements des médecins (contreparties)",
        "Chaque contrat engage le médecin à augmenter sa patientèle. Objectif : grille de l'avenant 7 selon la "
        "tranche de percentile de la patientèle médecin traitant adulte de la dernière période close avant la "
        "signature et l'option (1/3 ETP : +20 % de P30 à P50, +15 % de P50 à P70, +7,5 % de P70 à P90, +4 % de "
        "P90 à P95, maintien au-delà) ; la grille des options 1/2 et temps plein n'est pas publique (seules les "
        "fourchettes +6 à +25 % et +12,5 à +35 % le sont) : ces contrats sont classés « objectif non public », "
        "jamais estimés, sauf si le suivi CPAM donne l'objectif du contrat. Le percentile est le rang parmi les "
        "médecins de la table à la même période (la distribution nationale n'est pas publiée) ; la même "
        "progression est demandée à la file active (hypothèse). Revue tous les six mois pendant cinq ans ; "
        "l'objectif est dû à la fin de la deuxième année, l'aide dépendant de son atteinte à partir de la "
        "troisième. Statut à chaque revue, sur la dernière période close depuis la signature : atteint si la "
        "patientèle médecin traitant atteint l'objectif (depuis mai 2023, il suffit que la patientèle médecin "
        "traitant ou la file active atteigne le sien) ; avant l'échéance, en bonne voie au-dessus de la "
        "trajectoire linéaire de la patientèle de référence à l'objectif, trop tôt pour conclure en dessous ou "
        "sans période close depuis la signature ; à partir de l'échéance, manqué. Aide conditionnée : aide "
        "attendue des années de contrat à partir de la troisième (barèmes) ; aide en jeu : celle des contrats "
        "dont l'objectif est manqué. Patients gagnés : évolution brute, qui n'est pas l'effet du dispositif.",
    ),
    "effet_engagements": Method(
        "Effet de la signature sur l'activité (étude d'événement, différence de différences)",
        "Chaque signataire est apparié au non-signataire le plus proche observé à la même période (celle qui "
        "précède la signature), de la même spécialité et du même département (de la même région si le "
        "département compte moins de dix candidats, de toute la France ensuite) ; la distance est l'écart de "
        "percentile de patientèle médecin traitant à cette période, plus deux points par année d'écart "
        "d'installation (vingt ans au plus). Le département et la spécialité d'un signataire sont ceux de son "
        "premier contrat ; ceux d'un non-signataire et l'année d'installation de chacun viennent du suivi "
        "d'activité ; ce que le suivi ne donne pas n'entre pas dans l'appariement. Appariement avec remise (un "
        "non-signataire peut servir plusieurs fois). Pour chaque paire et chaque période, la différence entre "
        "l'évolution du logarithme de la mesure du signataire depuis la période précédant la signature et "
        "celle de son témoin sur les mêmes années est régressée sur une indicatrice par période depuis la "
        "signature (moindres carrés, statsmodels) : chaque coefficient est l'effet à cette période (étude "
        "d'événement), leur moyenne après la période de signature (pondérée par le nombre de paires) la "
        "différence de différences, exprimée en % (exp − 1). Intervalles à 95 % robustes, regroupés à la fois "
        "par signataire et par témoin (Cameron, Gelbach et Miller). Test de pré-tendance : test de Wald joint "
        "de nullité des coefficients antérieurs à la période précédant la signature. Par option, zone et "
        "profil de l'assistant, les périodes sont regroupées (avant, signature, après) ; une catégorie de moins "
        "de 20 signataires n'est pas estimée. La simulation du paquet vérifie que l'intervalle couvre un effet "
        "connu (nul compris) au taux annoncé et que le test détecte une pré-tendance. Limites : les médecins "
        "qui signent ne sont pas tirés au hasard ; l'appariement n'équilibre que ce que la table observe "
        "(spécialité, territoire, taille de la patientèle, ancienneté d'installation), pas l'âge, le mode "
        "d'exercice ni un projet d'agrandissement, un nouvel associé ou un déménagement en maison de santé qui "
        "aurait de toute façon accru la patientèle ; le test de pré-tendance ne voit que ce qui différait déjà "
        "avant la signature. Sur les données de démonstration, l'effet a été construit par le générateur (calibré sur "
        "les chiffres publiés) : l'estimation le retrouve, elle ne mesure rien de réel.",
    ),
    "temps_medical": Method(
        "Patients et temps médical attribuables",
        "Patients attribuables : effet moyen estimé après la signature (France entière) appliqué à la "
        "patientèle médecin traitant de chaque signataire apparié dans la période précédant sa signature, "
        "sommé par région ; le même effet est supposé dans toutes les régions. Temps médical : actes "
        "supplémentaires par an = effet estimé sur les actes par jour travaillé × actes du signataire l'année "
        "précédant la signature ; un ETP de temps médical est l'activité annuelle moyenne (actes) d'un médecin "
        "non signataire de la table à la même période. Les bornes viennent de l'intervalle à 95 % de l'effet.",
    ),
    "secret_statistique": Method(
        "Secret statistique",
        "Dans les tableaux, cartes et classeurs publiés, les effectifs de 1 à 4 sont masqués et affichés "
        "« < 5 » ; les zéros sont affichés. La protection passe d'abord par l'agrégation, puis seulement par le "
        "masquage. Agrégation : la série d'un petit territoire est publiée par trimestre ou par année plutôt que "
        "masquée mois par mois ; une catégorie de moins de 5 contrats la plupart des années est regroupée avec les "
        "autres dans « Autres », dont la note du tableau et du graphique donne la composition ; quand les "
        "répartitions par année d'un territoire (profils, spécialités, zones, options) resteraient trop souvent "
        "sous 5 contrats, elles sont publiées sur l'ensemble des années. Masquage : quand un seul effectif masqué "
        "pourrait être retrouvé par différence avec un total publié, un second effectif (le plus petit non nul du "
        "même total) est masqué aussi et affiché « s ». Toute la publication d'une exécution (France, régions, "
        "séries, profils, formation, aide) est ensuite auditée comme un lecteur le ferait : un programme linéaire "
        "cherche, à partir de toutes les relations publiées (totaux, cumuls, signés et actifs, France et régions, "
        "catégories et total, « Autres » et ses catégories), l'intervalle de chaque effectif masqué. Règle de "
        "protection : aucun effectif masqué ne peut être retrouvé exactement, et aucun effectif de 1 à 4, masqué "
        "ou déduit (comme les contrats terminés entre deux dates publiées), ne peut être cerné à moins de trois "
        "valeurs ; d'autres cellules sont masquées jusqu'à ce que la règle tienne, jamais les chiffres de tête "
        "(contrats signés et actifs d'un territoire à la date d'arrêté, chiffres de la France entière) tant qu'une "
        "autre cellule peut l'être. Une publication qui ne respecte pas la règle n'est pas écrite. Les fichiers "
        "internes gardent les valeurs exactes.",
    ),
    "qualite": Method(
        "Qualité des données",
        "Pour chaque fichier reçu : lignes lues, conservées, fusionnées (copies exactes d'une ligne déjà "
        "conservée) et mises en quarantaine, avec leurs motifs. Toute ligne lue est soit conservée, soit "
        "fusionnée, soit en quarantaine.",
    ),
}


def methods_markdown() -> str:
    """Every definition as one Markdown page (a `##` heading per indicator)."""
    return "\n\n".join(f"## {method.title}\n\n{method.text}" for method in METHODS.values()) + "\n"
