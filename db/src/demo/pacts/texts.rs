//! The demo pacts' texts, in Italian and English.

pub(super) const LUCCA_TEXT_IT: &str = "\
## Premessa

Lucca è stata riconosciuta dall'UNESCO come *Learning City* ed è entrata nella rete mondiale \
delle città dell'apprendimento. Il Comune di Lucca, il Club UNESCO di Lucca, l'Ufficio scolastico \
territoriale, la Provincia di Lucca e il Centro per l'impiego promuovono questo Patto per fare \
dell'apprendimento permanente il centro delle politiche della città.

## Finalità

1. Garantire a ogni persona, a ogni età, occasioni di educazione, istruzione e cultura \
diffuse sull'intero territorio comunale.
2. Ridurre le diseguaglianze e sostenere una città che evolve in modo ecocompatibile.
3. Coordinare i progetti e la gestione operativa di tutti i soggetti che lavorano in questo \
ambito.

## Impegni di chi aderisce

Ogni organizzazione che aderisce sceglie uno o più impegni tra quelli proposti e li rende \
pubblici. Partecipa, nella misura che sceglie, agli incontri per settore e al Tavolo di \
coordinamento dei firmatari.

## Tavolo di coordinamento

I firmatari formano un Tavolo di coordinamento che si riunisce per settore e in plenaria, \
progetta le iniziative comuni e verifica ogni anno i risultati.

## Durata e recesso

Il Patto non ha scadenza. Ogni organizzazione può recedere in qualsiasi momento.";

pub(super) const LUCCA_TEXT_EN: &str = "\
## Preamble

UNESCO has recognised Lucca as a *Learning City* and welcomed it into the worldwide network of \
learning cities. The Municipality of Lucca, the UNESCO Club of Lucca, the local school office, \
the Province of Lucca and the job centre promote this Pact to put lifelong learning at the \
centre of the city's policies.

## Aims

1. To give every person, at every age, opportunities for education, schooling and culture \
spread across the whole municipality.
2. To reduce inequalities and support a city that develops sustainably.
3. To coordinate the projects and the day-to-day work of everyone active in this field.

## What adherents commit to

Every organisation that adheres chooses one or more of the commitments offered and makes them \
public. It takes part, as far as it chooses, in the sector meetings and in the coordination \
table of the signatories.

## Coordination table

The signatories form a coordination table that meets by sector and in plenary, plans shared \
initiatives and reviews the results every year.

## Duration and withdrawal

The Pact has no end date. Any organisation may withdraw at any time.";

pub(super) const TORINO_TEXT_IT: &str = "\
## Perché un Patto

Torino, città dell'apprendimento UNESCO e co-coordinatrice con Chengdu del cluster \
sull'imprenditorialità, invita scuole, università, imprese e terzo settore a collaborare perché \
l'apprendimento accompagni le persone dalla scuola al lavoro e per tutta la vita.

## Obiettivi

- Costruire collaborazioni tra settori, anche con il mondo delle imprese.
- Diffondere una mentalità imprenditoriale che faciliti il passaggio dalla formazione al lavoro.
- Rafforzare il benessere della comunità e lo sviluppo sostenibile.
- Scambiare buone pratiche con le città della rete.";

pub(super) const TORINO_TEXT_EN: &str = "\
## Why a Pact

Torino, a UNESCO learning city and co-leader with Chengdu of the entrepreneurship cluster, \
invites schools, universities, companies and the third sector to work together so that \
learning accompanies people from school to work and throughout life.

## Goals

- Build collaboration across sectors, including with businesses.
- Spread an entrepreneurial mindset that eases the move from education to work.
- Strengthen community well-being and sustainable development.
- Exchange best practices with the cities of the network.";
