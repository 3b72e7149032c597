<#-- A hostile override: linked-secret.txt, in this directory, is a link to a file outside it. -->
<#include "linked-secret.txt">
