/**
 * Running a challenge over the records (docs/challenge.md): whether a phase takes a team's upload
 * now, and receiving an upload into the store - the only work of a challenge the site itself
 * does. It never unpacks or reads what a team sent: the scoring workers ({@code submission})
 * check it, away from the site's threads.
 */
package org.brainfm.challenge;
