<#-- A hostile override: each include tries to read a file outside src/main/frankenphp. Each is refused;
     #attempt turns the refusal into a word, so the IT sees both. -->
absolute: <#attempt><#include "/../../../outside-secret.txt"><#recover>refused</#attempt>
relative: <#attempt><#include "../../../../fault-template-read-outside-secret.txt"><#recover>refused</#attempt>
