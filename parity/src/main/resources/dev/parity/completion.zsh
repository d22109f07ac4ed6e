#compdef parity production staging development pr_app
# zsh completion for parity and its launchers.  source <(parity completion zsh)
_parity() {
    local -a verbs envs
    verbs=(@VERBS@ config logs run)
    envs=(${(f)"$(parity environments --names 2>/dev/null)"})
    local cmd=${words[1]:t}
    local verb_pos=2
    if [[ $cmd == parity ]]; then
        if (( CURRENT == 2 )); then
            compadd -- $envs @TOOLS@ sandbox
            return
        fi
        if [[ ${words[2]} == scrub ]]; then
            if (( CURRENT == 3 )); then compadd -- check init; else compadd -- $envs --json --stdout; fi
            return
        fi
        cmd=${words[2]}
        verb_pos=3
    fi
    [[ $cmd == pr_app ]] && (( verb_pos++ ))
    if (( CURRENT == verb_pos )); then
        compadd -- $verbs
        return
    fi
    case ${words[verb_pos]} in
        restore|restore-from) compadd -- $envs --force --confirm --parallelize --jobs --dry-run ;;
        deploy) compadd -- --branch --allow-dirty --dry-run ;;
        migrate) compadd -- --no-restart --dry-run ;;
        completion) compadd -- bash zsh ;;
    esac
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
    _parity "$@"
else
    compdef _parity parity production staging development pr_app
fi
